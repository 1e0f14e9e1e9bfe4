namespace Xuncha.AppHost.Dashboard;

/// <summary>One self-contained page (no external assets: the machine may be offline). It polls the JSON API.</summary>
public static class DashboardPage
{
    public const string Html = """
<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>巡察平台 · 本地控制台 Xuncha AppHost</title>
<style>
 body{font:14px/1.45 system-ui,"Noto Sans CJK SC",sans-serif;margin:0;color:#1d2330;background:#f5f6f8}
 header{background:#8b1a1a;color:#fff;padding:10px 18px;display:flex;gap:24px;align-items:baseline}
 header h1{font-size:18px;margin:0} header span{opacity:.85}
 nav{display:flex;gap:4px;padding:8px 18px 0} nav button{border:0;background:#e3e6ec;padding:6px 14px;border-radius:6px 6px 0 0;cursor:pointer}
 nav button.on{background:#fff;font-weight:600}
 main{background:#fff;margin:0 18px 18px;padding:14px;border-radius:0 6px 6px 6px;min-height:60vh}
 table{border-collapse:collapse;width:100%} th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eceef2;vertical-align:top}
 th{font-weight:600;color:#555;font-size:12px}
 .st{padding:1px 8px;border-radius:10px;font-size:12px;color:#fff}
 .healthy{background:#2e7d32}.starting,.waiting,.stopping{background:#9e9e9e}.unhealthy{background:#ef6c00}.exited,.failed{background:#c62828}.stopped{background:#616161}
 pre{background:#111;color:#ddd;padding:10px;height:55vh;overflow:auto;font:12px/1.35 ui-monospace,monospace;white-space:pre-wrap}
 .bar{position:relative;height:16px;background:#f0f1f4} .bar i{position:absolute;top:2px;height:12px;background:#5c6bc0;border-radius:2px}
 .bar i.err{background:#c62828} .muted{color:#777;font-size:12px} a{color:#8b1a1a}
 select,button.act{padding:3px 8px}
</style>
</head>
<body>
<header><h1>巡察平台 本地控制台 · Xuncha AppHost</h1><span id="summary"></span></header>
<nav>
 <button data-tab="resources" class="on">资源 Resources</button>
 <button data-tab="logs">控制台输出 Console</button>
 <button data-tab="traces">链路追踪 Traces</button>
</nav>
<main>
 <section id="resources">
  <table><thead><tr><th>名称 Name</th><th>类型 Kind</th><th>状态 State</th><th>地址 URL</th><th>进程 PID</th><th>运行时长 Uptime</th><th>内存 Memory</th><th>依赖 Waits for</th><th>操作 Actions</th></tr></thead><tbody id="rows"></tbody></table>
 </section>
 <section id="logs" hidden>
  <label>资源 Resource <select id="logres"></select></label> <span class="muted">实时刷新 live</span>
  <pre id="logtext"></pre>
 </section>
 <section id="traces" hidden>
  <div id="tracelist"></div>
  <div id="waterfall"></div>
 </section>
</main>
<script>
const $=s=>document.querySelector(s), esc=s=>String(s??'').replace(/[&<>"]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
const stateZh={waiting:'等待 waiting',starting:'启动中 starting',healthy:'健康 healthy',unhealthy:'不健康 unhealthy',exited:'已退出 exited',stopping:'停止中 stopping',stopped:'已停止 stopped',failed:'失败 failed'};
// Databases stop and start with their server; the rest answer the operator's stop/start (the state tells which applies).
const running=r=>r.state==='healthy'||r.state==='unhealthy', down=r=>['stopped','exited','failed'].includes(r.state);
let tab='resources', logName=null, logAfter=0;
document.querySelectorAll('nav button').forEach(b=>b.onclick=()=>{tab=b.dataset.tab;document.querySelectorAll('nav button').forEach(x=>x.classList.toggle('on',x===b));document.querySelectorAll('main section').forEach(s=>s.hidden=s.id!==tab);refresh();});
const mb=b=>b==null?'':(b/1048576).toFixed(0)+' MB', dur=s=>s==null?'':s<60?s+' s':s<3600?Math.floor(s/60)+' min':(s/3600).toFixed(1)+' h';
async function j(u,o){const r=await fetch(u,o);if(!r.ok)throw new Error(r.status);return r.json();}
async function resources(){
 const rs=await j('/api/resources');
 $('#summary').textContent=`${rs.filter(r=>r.state==='healthy').length}/${rs.length} 健康 healthy`;
 $('#rows').innerHTML=rs.map(r=>`<tr><td><b>${esc(r.name)}</b>${r.error?`<div class="muted">${esc(r.error.split('\n')[0])}</div>`:''}</td><td>${esc(r.kind)}</td>
  <td><span class="st ${r.state}">${stateZh[r.state]||r.state}</span>${r.exitCode!=null?` <span class="muted">退出码 exit ${r.exitCode}</span>`:''}</td>
  <td>${r.url?`<a href="${esc(r.url)}" target="_blank">${esc(r.url)}</a>`:''}</td><td>${r.pid??''}</td><td>${dur(r.uptimeSeconds)}</td><td>${mb(r.memoryBytes)}</td>
  <td class="muted">${esc(r.waitsFor.join(', '))}</td>
  <td>${r.kind==='project'?`<button class="act" onclick="act('${esc(r.name)}','restart')">重启 Restart</button>`:''}
  ${r.kind!=='database'&&running(r)?`<button class="act" onclick="act('${esc(r.name)}','stop')">停止 Stop</button>`:''}
  ${r.kind!=='database'&&down(r)?`<button class="act" onclick="act('${esc(r.name)}','start')">启动 Start</button>`:''}
  <button class="act" onclick="showLog('${esc(r.name)}')">日志 Log</button></td></tr>`).join('');
 const sel=$('#logres'); if(sel.options.length!==rs.length){sel.innerHTML=rs.map(r=>`<option>${esc(r.name)}</option>`).join('');if(logName)sel.value=logName;}
}
async function act(n,a){const r=await fetch(`/api/resources/${encodeURIComponent(n)}/${a}`,{method:'POST',headers:{'X-Xuncha-Dashboard':'1'}});
 if(!r.ok){const p=await r.json().catch(()=>({}));alert(`${p.title||r.status}\n${p.detail||''}`);} refresh();}
function showLog(n){logName=n;logAfter=0;$('#logtext').textContent='';$('#logres').value=n;document.querySelector('nav button[data-tab=logs]').click();}
$('#logres').onchange=e=>showLog(e.target.value);
async function logs(){
 if(!logName){logName=$('#logres').value;} if(!logName)return;
 const lines=await j(`/api/resources/${encodeURIComponent(logName)}/logs?after=${logAfter}`);
 if(lines.length){const pre=$('#logtext'),atEnd=pre.scrollTop+pre.clientHeight>=pre.scrollHeight-20;pre.textContent+=lines.map(l=>l.text).join('\n')+'\n';logAfter=lines[lines.length-1].seq;if(atEnd)pre.scrollTop=pre.scrollHeight;}
}
async function traces(){
 const ts=await j('/api/traces?limit=100');
 $('#tracelist').innerHTML=`<table><thead><tr><th>时间 Time</th><th>根操作 Root</th><th>涉及服务 Services</th><th>耗时 Duration</th><th>Spans</th><th>错误 Error</th></tr></thead><tbody>${
  ts.map(t=>`<tr><td>${new Date(t.started).toLocaleTimeString()}</td><td><a href="#" onclick="waterfall('${t.traceId}');return false">${esc(t.root)}</a></td><td>${esc(t.services.join(' → '))}</td><td>${t.durationMs.toFixed(1)} ms</td><td>${t.spanCount}</td><td>${t.error?'<span class="st failed">错误 error</span>':''}</td></tr>`).join('')}</tbody></table>`;
}
async function waterfall(id){
 const spans=await j('/api/traces/'+id); const t0=Math.min(...spans.map(s=>s.startUnixNano)), t1=Math.max(...spans.map(s=>s.endUnixNano)), total=Math.max(t1-t0,1);
 const children={}; spans.forEach(s=>(children[s.parentSpanId||'']??=[]).push(s)); const ids=new Set(spans.map(s=>s.spanId));
 const rows=[]; const walk=(s,d)=>{rows.push([s,d]);(children[s.spanId]||[]).forEach(c=>walk(c,d+1));};
 spans.filter(s=>!s.parentSpanId||!ids.has(s.parentSpanId)).forEach(s=>walk(s,0));
 $('#waterfall').innerHTML=`<h3>链路 Trace ${id}</h3><table><thead><tr><th>服务 Service</th><th>操作 Operation</th><th style="width:45%">时间线 Timeline</th><th>耗时 Duration</th></tr></thead><tbody>${
  rows.map(([s,d])=>`<tr title="${esc(Object.entries(s.attributes).map(([k,v])=>k+'='+v).join('\n'))}"><td>${esc(s.service)}</td><td style="padding-left:${8+d*14}px">${esc(s.name)} <span class="muted">${s.kind}</span></td>
  <td><div class="bar"><i class="${s.error?'err':''}" style="left:${(s.startUnixNano-t0)/total*100}%;width:${Math.max((s.endUnixNano-s.startUnixNano)/total*100,0.3)}%"></i></div></td><td>${s.durationMs.toFixed(2)} ms</td></tr>`).join('')}</tbody></table>`;
}
async function refresh(){try{await resources(); if(tab==='logs')await logs(); if(tab==='traces'&&!$('#waterfall').innerHTML)await traces();}catch(e){$('#summary').textContent='控制台连接中断 connection lost';}}
setInterval(refresh,1500); refresh();
</script>
</body>
</html>
""";
}
