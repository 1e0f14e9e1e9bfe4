using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xuncha.AuditLinkage.Datasets;
using Xuncha.Testing;

namespace Xuncha.AuditLinkage.Tests;

[Collection(Servers.Name)]
public sealed class ImportTests(PlatformServers servers) : IAsyncLifetime
{
    private AuditHost host = null!;
    private static string Imports(string kind) => $"/rounds/{AuditHost.RoundId}/datasets/{kind}/imports";

    public async Task InitializeAsync() => host = await AuditHost.StartAsync(servers, new Dictionary<string, string?>
    {
        ["AuditLinkage:ProgressEveryRows"] = "100",
        ["AuditLinkage:MaxImportBytes"] = "300000",
    });

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Bad_rows_are_reported_by_line_and_column_while_good_rows_are_imported()
    {
        var response = await host.AuditOfficer().PostAsync(Imports("subsidy-payments") + "?fileName=补贴.csv", TestData.Csv(
            "身份证号,姓名,补贴项目,金额,发放日期",
            $"{TestData.IdNumber(1)},张一,高龄补贴,300,2024-03-05",
            "610102195001010012,李二,低保,500,2024-04-05",                 // wrong check character
            $"{TestData.IdNumber(3)},王三,低保,五百,2024-04-05",            // not an amount
            $"{TestData.IdNumber(4)},赵四,低保,500,2024-13-45",             // not a date
            $"{TestData.IdNumber(5)},,低保,500,2024-04-05",                 // required name missing
            $"{TestData.IdNumber(6)},孙六,低保,\"1,200.50\",2024/4/5",       // good, other spellings
            $"{TestData.IdNumber(7)},周七,'; DROP TABLE rounds; --,1,20240405")); // hostile text is just text
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var summary = (await response.Content.ReadFromJsonAsync<ImportSummary>(TestData.Json))!;
        Assert.Equal((7L, 3L, 4L), (summary.RowsRead, summary.RowsImported, summary.RowsRejected));
        Assert.Equal([(3L, "recipient_id"), (4L, "amount"), (5L, "paid_on"), (6L, "recipient_name")],
            summary.FirstErrors.Select(e => (e.Line, e.Column)));

        var report = await host.Member().GetFromJsonAsync<JsonElement>($"/rounds/{AuditHost.RoundId}/datasets/subsidy-payments/versions/1/errors", TestData.Json);
        Assert.Equal(4, report.GetProperty("errors").GetArrayLength());
        Assert.Equal(1, await host.WithDb(db => db.Rounds.CountAsync())); // the hostile row did nothing

        // Stored: hashes and masked numbers, never the number itself.
        var stored = await host.WithDb(async db =>
        {
            await using var conn = new NpgsqlConnection(db.Database.GetConnectionString());
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT string_agg(t::text, '|') FROM ds_subsidy_payments t", conn);
            return (string)(await cmd.ExecuteScalarAsync())!;
        });
        Assert.DoesNotContain(TestData.IdNumber(1), stored);
        Assert.Contains(TestData.Masked(1), stored);
        Assert.Contains("1200.50", stored);
    }

    [Fact]
    public async Task Each_import_is_a_new_version_and_a_missing_column_or_a_file_without_good_rows_is_refused()
    {
        var client = host.Office();
        var missing = await client.PostAsync(Imports("death-registry"), TestData.Csv("身份证号,姓名", $"{TestData.IdNumber(1)},张一"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
        Assert.Contains("死亡日期", await missing.Content.ReadAsStringAsync());

        var allBad = await client.PostAsync(Imports("death-registry"), TestData.Csv("身份证号,姓名,死亡日期", "123,张一,2024-01-01"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, allBad.StatusCode);

        for (var i = 0; i < 2; i++)
        {
            var ok = await client.PostAsync(Imports("death-registry"), TestData.Csv("身份证号,姓名,死亡日期", $"{TestData.IdNumber(i)},张一,2024-01-01"));
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }
        var versions = await client.GetFromJsonAsync<List<DatasetVersion>>($"/rounds/{AuditHost.RoundId}/datasets", TestData.Json);
        Assert.Equal([(1, ImportStatus.Failed), (2, ImportStatus.Ready), (3, ImportStatus.Ready)], versions!.Select(v => (v.Number, v.Status)));

        var unknownKind = await client.PostAsync(Imports("horoscopes"), TestData.Csv("a", "b"));
        Assert.Equal(HttpStatusCode.NotFound, unknownKind.StatusCode);
        var wrongType = await client.PostAsync(Imports("death-registry"), new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
        var notXlsx = new ByteArrayContent(Encoding.UTF8.GetBytes("PK this is not a zip"));
        notXlsx.Headers.ContentType = new MediaTypeHeaderValue(DatasetEndpoints.XlsxType);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.PostAsync(Imports("death-registry"), notXlsx)).StatusCode);
        var tooBig = TestData.Csv("身份证号,姓名,死亡日期", new string('x', 400_000));
        var oversized = await client.PostAsync(Imports("death-registry"), tooBig);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.StatusCode);
        Assert.Equal(2, await host.WithDb(db => db.DatasetVersions.CountAsync(v => v.Status == ImportStatus.Ready)));
        // One partition per good version; the refused imports left none behind.
        var ready = await host.WithDb(db => db.DatasetVersions.Where(v => v.Status == ImportStatus.Ready).Select(v => v.Id).ToListAsync());
        Assert.Equal(ready.Select(DatasetCatalog.DeathRegistry.PartitionFor).Order(), await host.WithDb(db => db.Database.SqlQueryRaw<string>(
            "SELECT c.relname AS \"Value\" FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'ds_death_registry'::regclass ORDER BY 1").ToListAsync()));
    }

    [Fact]
    public async Task An_excel_workbook_is_imported_from_its_first_sheet()
    {
        using var stream = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var wb = doc.AddWorkbookPart();
            wb.Workbook = new Workbook(new Sheets());
            var ws = wb.AddNewPart<WorksheetPart>();
            static Cell Text(string r, string v) => new() { CellReference = r, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(v)) };
            static Cell Number(string r, string v) => new() { CellReference = r, CellValue = new CellValue(v) };
            ws.Worksheet = new Worksheet(new SheetData(
                new Row(Text("A1", "身份证号"), Text("B1", "姓名"), Text("C1", "死亡日期")) { RowIndex = 1 },
                new Row(Text("A2", TestData.IdNumber(1)), Text("B2", "张一"), Number("C2", "45361")) { RowIndex = 2 }, // Excel serial for 2024-03-10
                new Row(Text("A3", TestData.IdNumber(2)), Text("C3", "2024-01-01")) { RowIndex = 3 }));             // name missing
            wb.Workbook.Sheets!.Append(new Sheet { Id = wb.GetIdOfPart(ws), SheetId = 1, Name = "死亡人口" });
        }
        var content = new ByteArrayContent(stream.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue(DatasetEndpoints.XlsxType);
        var response = await host.AuditOfficer().PostAsync(Imports("death-registry"), content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var summary = (await response.Content.ReadFromJsonAsync<ImportSummary>(TestData.Json))!;
        Assert.Equal((1L, 1L), (summary.RowsImported, summary.RowsRejected));
        Assert.Equal((3L, "person_name"), (summary.FirstErrors[0].Line, summary.FirstErrors[0].Column));
        var died = await host.WithDb(async db =>
        {
            await using var conn = new NpgsqlConnection(db.Database.GetConnectionString());
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT died_on FROM ds_death_registry", conn);
            return (DateOnly)(await cmd.ExecuteScalarAsync())!;
        });
        Assert.Equal(new DateOnly(2024, 3, 10), died);
    }

    [Fact]
    public async Task Progress_is_visible_while_the_upload_is_still_streaming()
    {
        var body = new SlowCsv(chunks: 40, rowsPerChunk: 500, pause: TimeSpan.FromMilliseconds(150));
        var upload = host.AuditOfficer().PostAsync(Imports("death-registry"), body);

        var seen = await Eventually.Until(() => host.WithDb(db => db.DatasetVersions.AsNoTracking().SingleOrDefaultAsync()),
            v => v is { RowsRead: > 0 } || upload.IsCompleted, TimeSpan.FromSeconds(30), "progress of the running import");
        Assert.False(upload.IsCompleted, "the import finished before any progress was seen");
        Assert.Equal(ImportStatus.Importing, seen!.Status);
        Assert.InRange(seen.RowsRead, 1, 19_999);
        Assert.Equal(0, await host.WithDb(db => db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM ds_death_registry").SingleAsync()));

        var response = await upload;
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var done = (await response.Content.ReadFromJsonAsync<ImportSummary>(TestData.Json))!;
        Assert.Equal((ImportStatus.Ready, 20_000L), (done.Status, done.RowsImported));
    }

    /// <summary>A CSV body sent in chunks with pauses between them — a long upload in miniature.</summary>
    private sealed class SlowCsv : HttpContent
    {
        private readonly int chunks;
        private readonly int rowsPerChunk;
        private readonly TimeSpan pause;

        public SlowCsv(int chunks, int rowsPerChunk, TimeSpan pause)
        {
            (this.chunks, this.rowsPerChunk, this.pause) = (chunks, rowsPerChunk, pause);
            Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes("身份证号,姓名,死亡日期\n"));
            for (var c = 0; c < chunks; c++)
            {
                var rows = string.Concat(Enumerable.Range(c * rowsPerChunk, rowsPerChunk).Select(i => $"{TestData.IdNumber(i % 1000)},某人{i},2024-01-01\n"));
                await stream.WriteAsync(Encoding.UTF8.GetBytes(rows));
                await stream.FlushAsync();
                await Task.Delay(pause);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
