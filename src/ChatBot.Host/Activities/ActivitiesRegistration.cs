using System.Text.Encodings.Web;
using ChatBot.Core.Domain;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Activities;

public static class ActivitiesRegistration
{
    /// <summary>The console's activities (活动) service. Needs AddChatBotData, AddChatBotConversation (DisplayTime, templates) and the features (notifier, points).</summary>
    public static WebApplicationBuilder AddActivities(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ActivityConsoleService>();
        return builder;
    }

    /// <summary>
    /// <c>GET /m/checkin/{id}?code=</c>: where the printed QR code leads. A phone that scans it sees the activity and the
    /// words to send (签到 + code); the check-in itself happens in chat, where the member is known. A wrong code is 404,
    /// so the page reveals nothing about activities without the sheet in hand.
    /// </summary>
    public static WebApplication MapActivityCheckInPage(this WebApplication app)
    {
        app.MapGet("/m/checkin/{id:int}", async (int id, string? code, ChatBotDbContext db, ChatBot.Core.Conversation.DisplayTime display, CancellationToken ct) =>
        {
            var a = await db.Activities.AsNoTracking().Where(x => x.Id == id && !x.Cancelled && x.CheckInCode != null && x.CheckInCode == code)
                .Select(x => new { x.Title, x.StartsAt, x.Location, x.CheckInCode }).SingleOrDefaultAsync(ct);
            if (a is null) return Results.NotFound();
            var e = HtmlEncoder.Default;
            var html = $"""
                <!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>活动签到</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/lib/bootstrap/dist/css/bootstrap.min.css"></head>
                <body><main class="container py-4 text-center"><h1 class="h4">{e.Encode(a.Title)}</h1>
                <p>{display.ToLocal(a.StartsAt):M月d日 HH:mm} · {e.Encode(a.Location)}</p>
                <p>请在公众号对话框中回复：</p><p class="display-6 fw-bold">签到 {e.Encode(a.CheckInCode!)}</p></main></body></html>
                """;
            return Results.Content(html, "text/html; charset=utf-8");
        });
        return app;
    }
}
