using System.Text.RegularExpressions;
using ChatBot.Core.Features;
using ChatBot.Core.Messaging;

namespace ChatBot.Core.Conversation.Handlers;

/// <summary>绑定 &lt;码&gt;, 绑定 &lt;姓名&gt; &lt;手机号&gt;, and 解绑 with a confirmation step.</summary>
public sealed partial class BindingHandler(IMemberDirectory directory, IReplyTemplates templates, SessionState session, GuessLimiter guesses)
{
    public async Task<OutboundReply> BindAsync(ConversationContext context, string argument, CancellationToken ct)
    {
        if (context.Member is not null)
            return Reply("bind", new { outcome = "already", name = context.Member.Name });

        var parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 1 && CodePattern().IsMatch(parts[0]))
            return await BindWithCodeAsync(context, parts[0].ToUpperInvariant(), ct);
        if (parts.Length == 2 && PhonePattern().IsMatch(parts[1]))
            return await RequestBindingAsync(context, parts[0], parts[1], ct);
        if (parts.Length == 2 && PhonePattern().IsMatch(parts[0]))
            return await RequestBindingAsync(context, parts[1], parts[0], ct);
        return Reply("bind", new { outcome = "usage" });
    }

    private async Task<OutboundReply> BindWithCodeAsync(ConversationContext context, string code, CancellationToken ct)
    {
        var permit = await guesses.TryAttemptAsync(context.SessionKey, null, ct);
        if (!permit.Allowed)
            return Cooldown();

        var result = await directory.BindWithCodeAsync(context.Sender.IdentityId, code, context.NowUtc, ct);
        if (result.Outcome is BindOutcome.CodeInvalid or BindOutcome.CodeExpired)
            return Reply("bind", new { outcome = result.Outcome == BindOutcome.CodeExpired ? "expired" : "invalid", remaining = permit.Remaining });

        if (result.Outcome == BindOutcome.Bound)
            await guesses.ResetSenderAsync(context.SessionKey, ct);
        return Reply("bind", new
        {
            outcome = result.Outcome switch
            {
                BindOutcome.Bound => "bound",
                BindOutcome.AlreadyBound => "already",
                BindOutcome.MemberTaken => "member_taken",
                _ => "usage",
            },
            name = result.Member?.Name,
            branch = result.Member?.OrganisationName,
        });
    }

    /// <summary>
    /// 绑定 姓名 手机号 answers the same whether or not the pair matches a member (no membership oracle): the request
    /// waits for the secretary either way, and every request counts as an attempt against the sender and the name,
    /// so the cool-down arrives equally soon for matching and non-matching pairs.
    /// </summary>
    private async Task<OutboundReply> RequestBindingAsync(ConversationContext context, string name, string phone, CancellationToken ct)
    {
        if (!(await guesses.TryAttemptAsync(context.SessionKey, "name:" + name, ct)).Allowed)
            return Cooldown();

        var result = await directory.RequestBindingAsync(context.Sender.IdentityId, name, phone, context.NowUtc, ct);
        return result.Outcome == BindOutcome.AlreadyBound
            ? Reply("bind", new { outcome = "already", name = result.Member?.Name })
            : Reply("bind", new { outcome = "pending" });
    }

    private OutboundReply Cooldown() => Reply("bind", new { outcome = "cooldown", minutes = GuessLimiter.WindowMinutes });

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
