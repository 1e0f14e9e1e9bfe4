using Xuncha.ServiceDefaults.Calendar;
using Xuncha.ServiceDefaults.Http;
using System.Net;
using System.Security.Cryptography;
using Xuncha.Fieldwork.Common;
using Xuncha.Fieldwork.Data;

namespace Xuncha.Fieldwork.Intake;

/// <summary>
/// The mobile page behind the QR code: submit (anonymous or named) and look up a receipt. Everything inserted is
/// HTML-encoded; the script only sets textContent; a nonce-based CSP forbids any other script.
/// </summary>
internal static class IntakePage
{
    public static async Task<IResult> Render(string code, HttpContext http, FieldworkDb db, TimeProvider clock, CancellationToken ct)
    {
        if (await PublicIntakeEndpoints.FindAnnouncementAsync(db, code, ct) is not { Announcement: var a, Workspace: var w })
            return Problems.NotFound("No intake with that id is visible to you.");
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        http.Response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self'; form-action 'none'; frame-ancestors 'none'";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        var e = (string s) => WebUtility.HtmlEncode(s);
        var open = a.AcceptsOn(clock.Today());
        var options = string.Concat(Enum.GetValues<PetitionCategory>().Select(c => $"<option value=\"{c}\">{e(c.Label())}</option>"));
        var html = $$"""
            <!doctype html>
            <html lang="zh-CN"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>码上巡察 · {{e(w.DisplayName)}}</title>
            <style>
            body{font-family:-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f6f6f6;color:#222}
            header{background:#b71c1c;color:#fff;padding:16px}h1{font-size:20px;margin:0}
            main{padding:12px;max-width:640px;margin:auto}section{background:#fff;border-radius:8px;padding:12px;margin-bottom:12px}
            label{display:block;margin:10px 0 4px}input,select,textarea{width:100%;box-sizing:border-box;font-size:16px;padding:8px}
            textarea{min-height:140px}button{width:100%;padding:12px;font-size:17px;background:#b71c1c;color:#fff;border:0;border-radius:6px;margin-top:12px}
            .note{font-size:13px;color:#666}#result,#status{white-space:pre-wrap;margin-top:10px}
            </style></head><body>
            <header><h1>码上巡察</h1><div>{{e(w.DisplayName)}}</div></header>
            <main>
            <section><p>受理时间：{{e(a.OpensOn.Chinese())}}至{{e(a.ClosesOn.Chinese())}}</p>
            <p>受理范围：{{e(a.AcceptedScope)}}</p><p>联系电话：{{e(a.Hotline)}}　邮箱：{{e(a.Mailbox)}}</p>
            <p class="note">巡察组对反映人信息严格保密，仅巡察组组长可见。个人诉求、涉法涉诉事项将转交有关部门办理。</p></section>
            <section>{{(open ? $$"""
            <form id="f">
            <label for="category">类别</label><select id="category" required>{{options}}</select>
            <label for="subject">标题</label><input id="subject" maxlength="100" required>
            <label for="content">反映内容（请写明时间、地点、人物、事实）</label><textarea id="content" maxlength="5000" required></textarea>
            <label><input type="checkbox" id="anonymous" checked style="width:auto"> 匿名反映</label>
            <div id="named" hidden><label for="name">姓名</label><input id="name" maxlength="50">
            <label for="phone">联系电话</label><input id="phone" inputmode="tel" maxlength="20"></div>
            <label for="files">附件（图片或PDF，最多3个，每个不超过2MB）</label><input id="files" type="file" accept="image/jpeg,image/png,application/pdf" multiple>
            <button type="submit">提交</button></form><div id="result"></div>
            """ : "<p>本次巡察受理期已结束，感谢您的支持。</p>")}}
            </section>
            <section><label for="receipt">查询办理情况（输入回执码）</label><input id="receipt" maxlength="12">
            <button id="check" type="button">查询</button><div id="status"></div></section>
            </main>
            <script nonce="{{nonce}}">
            const $ = id => document.getElementById(id);
            const anon = $('anonymous');
            if (anon) anon.onchange = () => { $('named').hidden = anon.checked; };
            const read = f => new Promise((ok, fail) => { const r = new FileReader(); r.onload = () => ok({ fileName: f.name, dataBase64: r.result.split(',')[1] }); r.onerror = fail; r.readAsDataURL(f); });
            const form = $('f');
            if (form) form.onsubmit = async ev => {
              ev.preventDefault();
              const body = { category: $('category').value, subject: $('subject').value, content: $('content').value, anonymous: anon.checked,
                attachments: await Promise.all([...$('files').files].map(read)) };
              if (!anon.checked) body.reporter = { name: $('name').value, phone: $('phone').value };
              const res = await fetch('petitions', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
              const data = await res.json().catch(() => ({}));
              $('result').textContent = res.ok ? '提交成功。回执码：' + data.receiptCode + '\n请妥善保存，用于查询办理情况。' : '提交失败：' + (data.title || res.status) + (data.detail ? '\n' + data.detail : '');
            };
            $('check').onclick = async () => {
              const code = $('receipt').value.trim().toUpperCase();
              const res = await fetch('../../receipts/' + encodeURIComponent(code));
              const data = await res.json().catch(() => ({}));
              $('status').textContent = res.ok ? '状态：' + data.statusText + (data.reply ? '\n答复：' + data.reply : '') : '未找到该回执码';
            };
            </script></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }
}
