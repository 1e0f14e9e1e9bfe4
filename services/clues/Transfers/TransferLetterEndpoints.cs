using Xuncha.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuncha.Clues.Access;
using Xuncha.Clues.Data;

namespace Xuncha.Clues.Transfers;

public static class TransferLetterEndpoints
{
    public const string DocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    public static void MapTransferLetters(this WebApplication app) =>
        app.MapGet("/clues/{id:guid}/transfer-letter", Download).WithTags("线索移交");

    /// <summary>The letter carries the clue's contents, so fetching it is a read like any other (need-to-know, audited).</summary>
    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Download(
        Guid id, ClueAccess access, CluesDb db, IOptions<TransferOptions> options, CancellationToken ct)
    {
        var clue = await access.ReadAsync(id, "clue.letter-read", ct);
        await db.SaveChangesAsync(ct);
        if (clue is null) return Problems.NotFound("clue", id);
        var letter = await db.Letters.AsNoTracking().FirstOrDefaultAsync(l => l.ClueId == id, ct);
        if (letter is null) return Problems.NotFound("transfer letter for clue", id);
        var bytes = TransferLetterDocument.Render(letter, clue, options.Value.IssuingOffice(letter.Jurisdiction));
        return TypedResults.File(bytes, DocxType, $"问题线索移交函-{letter.Sequence}.docx");
    }
}
