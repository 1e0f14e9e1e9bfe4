using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Xuncha.Planning.Data;
using Xuncha.Planning.Targets;
using Xuncha.Planning.Tests.Infrastructure;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.Testing;

namespace Xuncha.Planning.Tests;

[Collection(Servers.Name)]
public sealed class ImportTests(CityFixture world) : IClassFixture<CityFixture>
{
    private PlanningHost Host => world.Host;

    [Fact]
    public async Task A_file_with_bad_rows_is_refused_whole_with_a_result_per_row()
    {
        var csv = World.Csv(
        [
            World.Township("tc-a-t01", World.CountyA),               // 2 fine
            World.Village("tc-a-t01-v01", "tc-a-t01"),                // 3 fine (its township is in the same file)
            "tc-a-t02,tc-a,某镇,hamlet,0,0,0,0,false,false",           // 4 unknown kind
            "tc-a-t03,tc-a,,township,0,0,0,0,false,false",            // 5 no name
            World.Village("tc-a-t09-v01", "tc-a-t09"),                // 6 parent township unknown
            World.Township("tc-a-t01", World.CountyA),               // 7 duplicate code
            "tc-a-t04,tc-a,某镇,township,-5,0,0,0,false,false",        // 8 negative amount
            "tc-a-t05,tc-a,某镇,township,0,0,0,0,maybe,false",         // 9 not a flag
            World.Department("tc-x-d01", "tc-x"),                     // 10 no such county
        ]);
        var reply = (await World.ImportCsv(Host.Coordinator(), csv)).ExpectProblem(HttpStatusCode.UnprocessableEntity).Json;
        Assert.Equal("import-rows-rejected", reply["rule"]!.GetValue<string>());
        var results = reply["outcome"]!["results"]!.AsArray();
        Assert.Equal(9, results.Count);
        string Status(int row) => results.Single(r => r!["row"]!.GetValue<int>() == row)!["status"]!.GetValue<string>();
        string Reason(int row) => results.Single(r => r!["row"]!.GetValue<int>() == row)!["reason"]!.GetValue<string>();
        Assert.Equal("accepted", Status(2));
        Assert.Equal("accepted", Status(3));
        Assert.StartsWith("kind", Reason(4));
        Assert.StartsWith("name", Reason(5));
        Assert.Contains("township", Reason(6));
        Assert.Contains("row 2", Reason(7));
        Assert.StartsWith("economicSize", Reason(8));
        Assert.StartsWith("weakPartyOrganisation", Reason(9));
        Assert.Contains("county", Reason(10));
        string[] codes = ["tc-a-t01", "tc-a-t01-v01", "tc-a-t03", "tc-a-t04", "tc-a-t05"];
        Assert.Equal(0, await Host.WithDb(db => Task.FromResult(db.Targets.Count(t => codes.Contains(t.Code)))));
    }

    [Fact]
    public async Task A_good_file_is_imported_and_a_second_import_updates_by_code()
    {
        var first = (await World.ImportCsv(Host.Coordinator(), World.Csv([World.Township("tc-b-t01", World.CountyB), World.Village("tc-b-t01-v01", "tc-b-t01")])))
            .Expect(HttpStatusCode.OK).Json;
        Assert.Equal(2, first["created"]!.GetValue<int>());
        var second = (await World.ImportCsv(Host.Coordinator(), World.Csv([World.Village("tc-b-t01-v01", "tc-b-t01", economic: 777), World.Village("tc-b-t01-v02", "tc-b-t01")])))
            .Expect(HttpStatusCode.OK).Json;
        Assert.Equal(1, second["created"]!.GetValue<int>());
        Assert.Equal(1, second["updated"]!.GetValue<int>());
        var village = (await Host.Coordinator().Get($"/targets/{World.IdOf("tc-b-t01-v01")}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(777m, village["attributes"]!["economicSize"]!.GetValue<decimal>());
        Assert.Equal(["tc", "tc-b", "tc-b-t01", "tc-b-t01-v01"], village["jurisdictionPath"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.True(await Host.WithDb(db => Task.FromResult(db.Set<AuditEntry>().Count(a => a.Action == "targets.imported"))) >= 2);
    }

    [Fact]
    public async Task A_committed_import_moves_the_data_generation_once_and_a_refused_one_not_at_all()
    {
        var before = await Host.WithDb(db => ReadCache.GenerationAsync(db, default));
        (await World.ImportCsv(Host.Coordinator(), World.Csv([World.Township("tc-b-t50", World.CountyB), World.Village("tc-b-t50-v01", "tc-b-t50"), World.Village("tc-b-t50-v02", "tc-b-t50")])))
            .Expect(HttpStatusCode.OK);
        Assert.Equal(before + 1, await Host.WithDb(db => ReadCache.GenerationAsync(db, default)));
        (await World.ImportCsv(Host.Coordinator(), World.Csv([World.Village("tc-b-t50-v03", "tc-b-t99")]))).ExpectProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(before + 1, await Host.WithDb(db => ReadCache.GenerationAsync(db, default)));
    }

    [Fact]
    public async Task Chinese_headers_and_values_are_read()
    {
        var csv = "编码,上级编码,名称,类别,经济体量,信访件数,工程项目数,专项资金,软弱涣散,数据异常\n" +
                  "tc-a-t20,tc-a,城关街道,街道,1200.5,3,2,80,否,否\ntc-a-t20-v01,tc-a-t20,南关社区,社区,300,1,0,0,是,否\n";
        (await World.ImportCsv(Host.Coordinator(), csv)).Expect(HttpStatusCode.OK);
        var village = (await Host.Coordinator().Get($"/targets/{World.IdOf("tc-a-t20-v01")}")).Expect(HttpStatusCode.OK).Json;
        Assert.True(village["attributes"]!["weakPartyOrganisation"]!.GetValue<bool>());
        Assert.Equal("village", village["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Export_to_xlsx_and_import_it_back_round_trips()
    {
        (await World.ImportCsv(Host.Coordinator(), World.Csv([World.Township("tc-a-t30", World.CountyA), World.Village("tc-a-t30-v01", "tc-a-t30", economic: 88.5m, petitions: 2)])))
            .Expect(HttpStatusCode.OK);
        var xlsx = await Host.Coordinator().Http.GetAsync("/targets/export?format=xlsx&county=tc-a");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal(TargetFile.XlsxType, xlsx.Content.Headers.ContentType!.MediaType);
        var bytes = await xlsx.Content.ReadAsByteArrayAsync();
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(TargetFile.XlsxType);
        var back = (await Host.Coordinator().Send(HttpMethod.Post, "/targets/import?dryRun=true", content)).Expect(HttpStatusCode.OK).Json;
        Assert.True(back["rows"]!.GetValue<int>() >= 2);
        Assert.Equal(0, back["created"]!.GetValue<int>());

        var csv = await (await Host.Coordinator().Http.GetAsync("/targets/export?format=csv&county=tc-a")).Content.ReadAsStringAsync();
        Assert.Contains("tc-a-t30-v01,tc-a-t30,tc-a-t30-v01村,village,88.5,2", csv);
        var form = new MultipartFormDataContent { { new StringContent(csv, Encoding.UTF8, "text/csv"), "file", "targets.csv" } };
        (await Host.Coordinator().Send(HttpMethod.Post, "/targets/import", form)).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Unreadable_unsupported_oversized_and_outside_files_are_refused_with_problems()
    {
        var office = Host.Coordinator();
        (await office.Send(HttpMethod.Post, "/targets/import", new StringContent("code,name\n\"tc-a-t01,broken\nx,y\n", Encoding.UTF8, "text/csv"))).ExpectProblem(HttpStatusCode.BadRequest);
        var notXlsx = new ByteArrayContent(Encoding.UTF8.GetBytes("PK not really a zip"));
        notXlsx.Headers.ContentType = new MediaTypeHeaderValue(TargetFile.XlsxType);
        (await office.Send(HttpMethod.Post, "/targets/import", notXlsx)).ExpectProblem(HttpStatusCode.BadRequest);
        (await office.Send(HttpMethod.Post, "/targets/import", new StringContent("{}", Encoding.UTF8, "application/json"))).ExpectProblem(HttpStatusCode.UnsupportedMediaType);
        (await office.Send(HttpMethod.Post, "/targets/import", new StringContent(World.Csv([]), Encoding.UTF8, "text/csv"))).ExpectProblem(HttpStatusCode.BadRequest);
        var huge = new ByteArrayContent(new byte[TargetEndpoints.MaxImportBytes + 1]);
        huge.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        (await office.Send(HttpMethod.Post, "/targets/import", huge)).ExpectProblem(HttpStatusCode.RequestEntityTooLarge);
        // A county office cannot place targets in another county.
        var reply = (await World.ImportCsv(Host.Coordinator(World.CountyA), World.Csv([World.Department("tc-b-d77", World.CountyB)]))).ExpectProblem(HttpStatusCode.UnprocessableEntity).Json;
        Assert.Contains("outside your jurisdiction", reply["outcome"]!["results"]![0]!["reason"]!.GetValue<string>());
        // Hostile cell text is stored as text and exported with formulas defused.
        (await World.ImportCsv(office, World.Csv(["tc-a-t40,tc-a,\"=HYPERLINK(\"\"http://x\"\")\",township,0,0,0,0,false,false"]))).Expect(HttpStatusCode.OK);
        var csv = await (await office.Http.GetAsync("/targets/export?format=csv&county=tc-a")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("\n\"=HYPERLINK", csv);
        Assert.DoesNotContain(",=HYPERLINK", csv);
        Assert.DoesNotContain(",\"=HYPERLINK", csv);
    }
}
