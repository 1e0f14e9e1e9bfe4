using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Xuncha.ServiceDefaults.Audit;
using Xuncha.ServiceDefaults.Messaging;

namespace Xuncha.Foundation.TestHost.Notes;

public static class NoteEndpoints
{
    public sealed record RecordNote(
        [property: Required, StringLength(200, MinimumLength = 1)] string Title,
        [property: Range(0, 1_000_000)] int Amount);

    public static void MapNotes(this WebApplication app)
    {
        var notes = app.MapGroup("/notes").RequireAuthorization();
        notes.MapPost("/", Record);
        notes.MapGet("/{id:guid}", Get);
    }

    private static async Task<Created<Note>> Record(RecordNote request, NotesDb db, AuditTrail audit, CancellationToken ct)
    {
        var note = new Note { Id = Guid.NewGuid(), Title = request.Title, Amount = request.Amount, CreatedAt = DateTimeOffset.UtcNow };
        db.Notes.Add(note);
        db.AddEvent(new NoteRecorded { NoteId = note.Id, Title = note.Title, StartedAt = DateTimeOffset.UtcNow });
        audit.Record(db, "note.recorded", "note", note.Id.ToString(), after: note);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/notes/{note.Id}", note);
    }

    private static async Task<Results<Ok<Note>, NotFound>> Get(Guid id, NotesDb db, CancellationToken ct) =>
        await db.Notes.FindAsync([id], ct) is { } note ? TypedResults.Ok(note) : TypedResults.NotFound();
}
