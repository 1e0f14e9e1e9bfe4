using Xuncha.Staffing.Cadres;
using Xuncha.Staffing.Formation;
using Xuncha.Staffing.Groups;

namespace Xuncha.Staffing.Cards;

/// <summary>A post (岗位) and what its responsibility card (巡察责任卡) says: duties, work standards, accountability situations.</summary>
public sealed record PostTemplate(string Key, string Title, IReadOnlyList<string> Duties, IReadOnlyList<string> Standards, IReadOnlyList<string> Accountability);

/// <summary>The post templates "岗到人" draws cards from (seed 000: 岗位名称、具体职责、工作标准、追责情形).</summary>
public static class PostTemplates
{
    private static readonly string[] CommonAccountability =
    [
        "泄露巡察工作秘密的",
        "违反中央八项规定精神，接受被巡察单位宴请、礼品礼金的",
        "应当发现的重大问题没有发现，或发现后不如实报告的",
    ];

    public static readonly IReadOnlyList<PostTemplate> All =
    [
        new(GroupRoles.Leader, "组长岗",
            ["主持巡察组全面工作，对巡察质量负总责", "组织研究制定巡察工作方案和重点监督事项", "审定问题底稿和巡察报告，把关问题线索"],
            ["每周至少召开1次组务会，研判问题和线索", "巡察报告问题须“五见两清”", "重要情况第一时间向巡察办报告"],
            [.. CommonAccountability, "对组员违纪违规行为失察失管的"]),
        new(GroupRoles.Deputy, "副组长岗",
            ["协助组长工作，分管所负责领域的监督检查", "组织开展个别谈话和专项核查", "带教新抽调干部（以干代训）"],
            ["分管领域问题清单每周更新", "谈话记录当日整理归档", "所带新干部每人每周至少参与1项核查"],
            [.. CommonAccountability, "分管领域问题底稿不规范、证据不充分的"]),
        new(Specialties.Finance, "财务核查岗",
            ["查阅被巡察单位财务账目、凭证和资金往来", "核查专项资金、项目资金使用管理情况", "对照标到事标准核查资金拨付时限"],
            ["每笔5万元以上支出必查原始凭证", "项目资金流向必追至终端", "核查情况逐笔形成工作底稿"],
            [.. CommonAccountability, "5万元以上支出未核对原始凭证即出具意见的"]),
        new(Specialties.Audit, "审计协作岗",
            ["与审计组对接，共享审计发现", "开展资产、合同、工程结算核查", "参与大数据比对结果核实"],
            ["每周与审计组会商不少于1次", "比对疑点逐条核实销号", "审计发现线索24小时内报组长"],
            [.. CommonAccountability, "审计发现未核实即写入报告的"]),
        new(Specialties.Discipline, "纪律审查岗",
            ["梳理信访件和问题线索", "核实涉及个人的问题，规范形成线索材料", "对接纪委监委相关室"],
            ["信访件100%登记、分类、研判", "线索材料要素齐全，证据链完整", "问题线索移交前经组务会研究"],
            [.. CommonAccountability, "私自处置、截留问题线索的"]),
        new(Specialties.Organisation, "组织建设岗",
            ["检查基层党组织建设、党员发展和组织生活", "核查选人用人和干部管理情况", "检查软弱涣散党组织整顿情况"],
            ["党员发展程序逐人核查，合规率100%", "“三会一课”记录逐月核查", "发现问题附原始记录"],
            [.. CommonAccountability, "对党员发展违规问题未查实即放过的"]),
        new(Specialties.Agriculture, "乡村振兴岗",
            ["检查惠农补贴、产业帮扶资金发放", "核查集体“三资”管理和资产租赁", "实地走访产业项目"],
            ["产业帮扶资金拨付时限逐笔核对（15个工作日）", "集体资产出租逐项核对“三议两公开”", "项目现场走访覆盖率100%"],
            [.. CommonAccountability, "对惠农资金截留挪用问题未深查的"]),
        new(Specialties.CivilAffairs, "民生保障岗",
            ["核查低保、特困、临时救助等民生资金", "检查低保对象动态管理", "走访困难群众"],
            ["低保名单与死亡、车辆、工商登记逐一比对", "每季度复核情况逐户核实", "走访困难群众不少于10户"],
            [.. CommonAccountability, "对“人情保”“关系保”问题未查实即放过的"]),
        new(Specialties.Petitions, "信访接待岗",
            ["受理群众来信来访和“码上巡察”反映", "登记、分类、转办信访件", "回访反映人"],
            ["信访件当日登记", "反映人身份严格保密", "每件信访件有处理结果"],
            [.. CommonAccountability, "泄露信访举报人信息的"]),
        new(Specialties.Law, "法律审核岗",
            ["审核问题定性和政策依据", "审查合同和重大决策合法性"],
            ["每个问题注明政策法规依据", "定性意见书面出具"],
            [.. CommonAccountability, "定性依据错误导致问题认定失当的"]),
        new("general", "综合联络岗",
            ["负责巡察组日常联络、文书和后勤保障", "整理台账和工作底稿", "配合开展谈话和走访"],
            ["文书按20类规范文书要素制作", "台账每日更新"],
            CommonAccountability),
    ];

    public static PostTemplate? Find(string key) => All.FirstOrDefault(t => t.Key == key);

    public static string Title(string key) => Find(key)?.Title ?? key;
}

public static class Posts
{
    /// <summary>
    /// Gives each seat a post: leaders and deputies their own; members a specialist post so that each required
    /// specialty with a template is held by someone, then their own first specialty with a template, else 综合联络岗.
    /// </summary>
    public static Dictionary<Guid, string> Assign(IReadOnlyList<Seat> seats, IReadOnlyList<string> required)
    {
        var posts = new Dictionary<Guid, string>();
        foreach (var seat in seats.Where(s => s.Role != GroupRoles.Member))
        {
            posts[seat.Cadre.Id] = seat.Role;
        }
        var members = seats.Where(s => s.Role == GroupRoles.Member).ToList();
        foreach (var specialty in required.Where(r => PostTemplates.Find(r) is not null))
        {
            if (members.FirstOrDefault(m => !posts.ContainsKey(m.Cadre.Id) && m.Cadre.Specialties.Contains(specialty)) is { } holder)
            {
                posts[holder.Cadre.Id] = specialty;
            }
        }
        foreach (var m in members.Where(m => !posts.ContainsKey(m.Cadre.Id)))
        {
            posts[m.Cadre.Id] = m.Cadre.Specialties.FirstOrDefault(s => PostTemplates.Find(s) is not null) ?? "general";
        }
        return posts;
    }
}
