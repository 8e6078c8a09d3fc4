using System.Text.RegularExpressions;
using ChatBot.Core.Features;
using ChatBot.Core.Messaging;

namespace ChatBot.Core.Conversation.Handlers;

/// <summary>绑定 &lt;码&gt;, 绑定 &lt;姓名&gt; &lt;手机号&gt;, and 解绑 with a confirmation step.</summary>
public sealed partial class BindingHandler(IMemberDirectory directory, IReplyTemplates templates, SessionState session)
{
    public const int MaxFailuresPerHour = 5;
    private static readonly TimeSpan FailureWindow = TimeSpan.FromHours(1);

    public async Task<OutboundReply> BindAsync(ConversationContext context, string argument, CancellationToken ct)
    {
        if (context.Member is not null)
            return Reply("bind", new { outcome = "already", name = context.Member.Name });

        var failureKey = "bind-fail:" + context.SessionKey;
        if (await session.GetCounterAsync(failureKey, ct) >= MaxFailuresPerHour)
            return Reply("bind", new { outcome = "cooldown", minutes = (int)FailureWindow.TotalMinutes });

        var parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        BindResult result;
        if (parts.Length == 1 && CodePattern().IsMatch(parts[0]))
            result = await directory.BindWithCodeAsync(context.Sender.IdentityId, parts[0].ToUpperInvariant(), context.NowUtc, ct);
        else if (parts.Length == 2 && PhonePattern().IsMatch(parts[1]))
            result = await directory.RequestBindingAsync(context.Sender.IdentityId, parts[0], parts[1], context.NowUtc, ct);
        else if (parts.Length == 2 && PhonePattern().IsMatch(parts[0]))
            result = await directory.RequestBindingAsync(context.Sender.IdentityId, parts[1], parts[0], context.NowUtc, ct);
        else
            return Reply("bind", new { outcome = "usage" });

        if (result.Outcome is BindOutcome.CodeInvalid or BindOutcome.CodeExpired or BindOutcome.NoMatch)
        {
            var failures = await session.GetCounterAsync(failureKey, ct) + 1;
            await session.SetCounterAsync(failureKey, failures, FailureWindow, ct);
            return Reply("bind", new
            {
                outcome = result.Outcome switch
                {
                    BindOutcome.CodeExpired => "expired",
                    BindOutcome.NoMatch => "no_match",
                    _ => "invalid",
                },
                remaining = Math.Max(0, MaxFailuresPerHour - failures),
            });
        }

        await session.ClearCounterAsync(failureKey, ct);
        return Reply("bind", new
        {
            outcome = result.Outcome switch
            {
                BindOutcome.Bound => "bound",
                BindOutcome.AlreadyBound => "already",
                BindOutcome.PendingConfirmation => "pending",
                BindOutcome.MemberTaken => "member_taken",
                _ => "usage",
            },
            name = result.Member?.Name,
            branch = result.Member?.OrganisationName,
        });
    }

    public async Task<OutboundReply> AskUnbindAsync(ConversationContext context, CancellationToken ct)
    {
        if (context.Sender.State == Domain.BindingState.Unbound)
            return Reply("unbind", new { outcome = "not_bound" });
        await session.SetDialogAsync(context.SessionKey, new DialogState(DialogState.UnbindConfirm), ct);
        return Reply("unbind", new { outcome = "confirm", name = context.Member?.Name });
    }

    /// <summary>Answer to the confirmation question: 确认 unbinds, anything else keeps the binding.</summary>
    public async Task<OutboundReply?> ContinueAsync(ConversationContext context, ParsedCommand? command, CancellationToken ct)
    {
        await session.ClearDialogAsync(context.SessionKey, ct);
        if (command?.Name != CommandName.Confirm)
            return command is null || command.Value.Name == CommandName.Cancel ? Reply("unbind", new { outcome = "kept" }) : null;
        var result = await directory.UnbindAsync(context.Sender.IdentityId, ct);
        return Reply("unbind", new { outcome = result.Outcome == BindOutcome.Unbound ? "done" : "not_bound" });
    }

    private OutboundReply Reply(string template, object model) => OutboundReply.FromText(templates.Render(template, model));

    [GeneratedRegex(@"^[A-Za-z0-9]{4,12}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"^1\d{10}$")]
    private static partial Regex PhonePattern();
}
