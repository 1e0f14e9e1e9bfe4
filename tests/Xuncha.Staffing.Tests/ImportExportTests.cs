using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Xuncha.Staffing.Cadres;
using Xuncha.Staffing.Tests.Infrastructure;
using Xuncha.Testing;

namespace Xuncha.Staffing.Tests;

[Collection(Servers.Name)]
public sealed class ImportExportTests(PlatformServers servers) : IAsyncLifetime
{
    private StaffingHost host = null!;

    public async Task InitializeAsync() => host = await StaffingHost.StartAsync(servers);

    public async Task DisposeAsync() => await host.DisposeAsync();

    private static readonly string Header = "姓名,身份证号,所属地区,现单位代码,现单位名称,专业,专职或抽调,乡镇干部,可任职务,已参加轮次,原工作单位,亲属,可抽调时段";

    private static string Row(string name, string id, string unit = "demo-city-luonan-d02", string specialties = "finance;audit", string extra = "抽调,否,组员,2,,,") =>
        $"{name},{id},demo-city/demo-city-luonan,{unit},单位,{specialties},{extra}";

    private Task<HttpResponseMessage> Import(byte[] body, string type)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return host.Client.PostAsync("/cadres/import?reason=年度更新", content);
    }

    [Fact]
    public async Task A_csv_import_reports_every_row_and_a_second_import_updates_by_identity_number()
    {
        var a = Http.IdentityNumber("61102419800101001");
        var b = Http.IdentityNumber("61102419800101002");
        var csv = string.Join("\n", Header,
            Row("王五", a, extra: "抽调,否,副组长,3,demo-city-luonan-d05|洛南县教育局|2018-01-01|2022-06-30,李某|配偶|demo-city-luonan-t03|某镇,2027-01-01|2027-12-31"),
            Row("赵六", b), Row("钱七", ""));
        var result = await Import(Encoding.UTF8.GetBytes(csv), "text/csv").Expect(HttpStatusCode.OK);
        Assert.Equal(3, result.GetProperty("created").GetInt32());
        Assert.Equal([2, 3, 4], result.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("row").GetInt32()));
        var wang = await host.WithDb(db => db.Cadres.AsNoTracking().SingleAsync(c => c.Name == "王五"));
        Assert.Equal(LeadershipGrade.Deputy, wang.Grade);
        Assert.Equal("demo-city-luonan-d05", Assert.Single(wang.FormerUnits).UnitCode);
        Assert.Equal("配偶", Assert.Single(wang.Relatives).Relation);
        Assert.Single(wang.Availability);

        var again = await Import(Encoding.UTF8.GetBytes(string.Join("\n", Header, Row("王五", a, unit: "demo-city-luonan-d07"), Row("赵六", b))), "text/csv").Expect(HttpStatusCode.OK);
        Assert.Equal(2, again.GetProperty("updated").GetInt32());
        Assert.Equal(3, await host.Count(db => db.Cadres));
        Assert.Equal("demo-city-luonan-d07", (await host.WithDb(db => db.Cadres.AsNoTracking().SingleAsync(c => c.Name == "王五"))).CurrentUnitCode);
    }

    [Fact]
    public async Task One_bad_row_rejects_the_file_naming_the_row_and_column()
    {
        var csv = string.Join("\n", Header, Row("好人", ""), Row("坏人", "123"), Row("", "", specialties: "astrology"), Row("x", "", extra: "抽调,也许,组员,2,,,"));
        var problem = await Import(Encoding.UTF8.GetBytes(csv), "text/csv").Expect(HttpStatusCode.UnprocessableEntity);
        var rows = problem.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal([3, 4, 5], rows.Select(r => r.GetProperty("row").GetInt32()));
        Assert.True(rows[0].GetProperty("errors").TryGetProperty("identityNumber", out _));
        Assert.True(rows[1].GetProperty("errors").TryGetProperty("specialties", out _));
        Assert.True(rows[2].GetProperty("errors").TryGetProperty("乡镇干部", out _));
        Assert.Equal(0, await host.Count(db => db.Cadres));
    }

    [Fact]
    public async Task Xlsx_round_trip_and_formula_cells_are_defused_on_export()
    {
        var sheet = CadreTable.WriteXlsx([
            ["", "=HYPERLINK(\"http://x\")", "", "demo-city/demo-city-danfeng", "demo-city-danfeng-d01", "财政局", "finance", "专职", "否", "组长", "5", "", "", "", ""],
            ["", "孙八", Http.IdentityNumber("61102219700101003"), "demo-city/demo-city-danfeng", "demo-city-danfeng-d02", "农业农村局", "agriculture;civil-affairs", "抽调", "否", "组员", "0", "", "", "", ""],
        ]);
        var result = await Import(sheet, CadreTable.XlsxType).Expect(HttpStatusCode.OK);
        Assert.Equal(2, result.GetProperty("created").GetInt32());

        var csv = Encoding.UTF8.GetString(await (await host.Client.GetAsync("/cadres/export?format=csv")).Content.ReadAsByteArrayAsync());
        Assert.Contains("'=HYPERLINK", csv);
        Assert.DoesNotContain("61102219700101003", csv);
        var xlsx = await host.Client.GetAsync("/cadres/export?format=xlsx");
        Assert.Equal(CadreTable.XlsxType, xlsx.Content.Headers.ContentType?.MediaType);
        var rows = CadreTable.Read(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()), xlsx: true);
        Assert.Equal(2, rows.Count);
        Assert.Contains(rows, r => r[CadreTable.Name] == "孙八" && r[CadreTable.SpecialtiesColumn] == "agriculture;civil-affairs");
        await host.Client.GetAsync("/cadres/export?format=pdf").Expect(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Unreadable_files_are_refused_without_a_500()
    {
        await Import(Encoding.UTF8.GetBytes("not a zip"), CadreTable.XlsxType).Expect(HttpStatusCode.BadRequest);
        await Import(Encoding.UTF8.GetBytes("姓名,x\n\"unclosed,1\n"), "text/csv").Expect(HttpStatusCode.BadRequest);
        await Import(Encoding.UTF8.GetBytes("a,b\n1,2\n"), "text/csv").Expect(HttpStatusCode.BadRequest);
        await Import(Encoding.UTF8.GetBytes("{}"), "application/json").Expect(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(0, await host.Count(db => db.Cadres));
    }
}
