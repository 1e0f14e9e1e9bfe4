using Xuncha.Foundation.TestHost.Notes;
using Xuncha.ServiceDefaults;
using Xuncha.ServiceDefaults.Data;
using Xuncha.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("testhost");
builder.AddServiceDatabase<NotesDb>("testhostdb");
builder.AddEventBus<NotesDb>("testhost", x =>
{
    x.AddConsumer<NoteRecordedConsumer>();
    x.AddConsumer<DeliveryLogConsumer>();
    x.AddConsumer<PoisonPillConsumer>();
});
builder.Services.AddValidation();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapNotes();
return await app.RunServiceAsync<NotesDb>(args);

public partial class Program;
