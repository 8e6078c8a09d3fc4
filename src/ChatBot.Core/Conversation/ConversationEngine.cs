using ChatBot.Core.Conversation.Handlers;
using ChatBot.Core.Features;
using ChatBot.Core.Messaging;
using Microsoft.Extensions.Logging;

namespace ChatBot.Core.Conversation;

/// <summary>
/// The ordered pipeline: identify the sender → platform events → continue an open dialog → numbered choice →
/// command → free-text policy search → help. Knows no channel; every word it says comes from the templates.
/// </summary>
public sealed class ConversationEngine(
    IMemberDirectory directory,
    IGroupDirectory groups,
    CommandTable commands,
    SessionState session,
    Handlers.EventHandler events,
    HelpHandler help,
    BindingHandler binding,
    StudyHandler study,
    ActivityHandler activities,
    PointsHandler points,
    PolicyHandler policies,
    ProgressHandler progress,
    IReplyTemplates templates,
    TimeProvider time,
    ILogger<ConversationEngine> logger) : IConversationEngine
{
    public async Task<OutboundReply> HandleAsync(InboundMessage message, CancellationToken ct)
    {
        try
        {
            var context = await BuildContextAsync(message, ct);
            return await events.TryHandleAsync(context, ct) ?? await HandleTextAsync(context, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogError(ex, "Conversation failed for {Channel} message {DedupeKey}", message.Channel, message.DedupeKey);
            return OutboundReply.FromText(templates.Render("error"));
        }
    }

    private async Task<ConversationContext> BuildContextAsync(InboundMessage message, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var opensWindow = message.Kind is InboundKind.Text or InboundKind.Voice or InboundKind.Image
            or InboundKind.Location or InboundKind.Link or InboundKind.Video;
        var sender = await directory.RecordInboundAsync(message.Channel, message.SenderId, opensWindow, now, ct);
        var group = message.ConversationId is { } conversation
            ? await groups.FindByConversationAsync(message.Channel, conversation, ct)
            : null;
        var text = message.Kind == InboundKind.MenuClick
            ? commands.FromMenuKey(message.EventKey) ?? "帮助"
            : TextNormalizer.Normalize(message.Text);
        return new ConversationContext { Message = message, Text = text, Sender = sender, Group = group, NowUtc = now };
    }

    private async Task<OutboundReply> HandleTextAsync(ConversationContext context, CancellationToken ct)
    {
        if (context.Text.Length == 0) return await help.HandleAsync(context, ct);
        var command = commands.Parse(context.Text);

        if (!context.IsGroup && await ContinueDialogAsync(context, command, ct) is { } dialogReply)
            return dialogReply;

        if (!context.IsGroup && IsBareNumber(context.Text))
            return await ChooseAsync(context, int.Parse(context.Text, System.Globalization.CultureInfo.InvariantCulture), ct);

        if (command is null && AnswerParser.Parse(context.Text) is not null)
            return Reply("quiz", new { outcome = "no_dialog" });

        return command is { } c
            ? await DispatchAsync(context, c, ct)
            : await policies.SearchAsync(context, context.Text, explicitCommand: false, ct);
    }

    private async Task<OutboundReply?> ContinueDialogAsync(ConversationContext context, ParsedCommand? command, CancellationToken ct)
    {
        var dialog = await session.GetDialogAsync(context.SessionKey, ct);
        return dialog?.Kind switch
        {
            DialogState.Quiz when context.Member is { } m => await study.ContinueQuizAsync(context, m, dialog, command, ct),
            DialogState.UnbindConfirm => await binding.ContinueAsync(context, command, ct),
            _ => null,
        };
    }

    private async Task<OutboundReply> DispatchAsync(ConversationContext context, ParsedCommand command, CancellationToken ct)
    {
        switch (command.Name)
        {
            case CommandName.Help:
                return await help.HandleAsync(context, ct);
            case CommandName.Bind:
                return await binding.BindAsync(context, command.Argument, ct);
            case CommandName.Policy:
                return await policies.SearchAsync(context, command.Argument, explicitCommand: true, ct);
            case CommandName.Cancel or CommandName.Confirm:
                return Reply("nothing_pending", new { });
        }

        if (context.IsGroup)
            return await DispatchInGroupAsync(context, command, ct);

        if (command.Name == CommandName.Human)
            return await policies.HumanAsync(context, command.Argument, ct);

        if (command.Name == CommandName.Unbind)
            return await binding.AskUnbindAsync(context, ct);

        if (context.Member is not { } member)
            return Reply("unbound", new { pending = context.Sender.State == Domain.BindingState.Pending });

        return command.Name switch
        {
            CommandName.Lesson => await study.LessonAsync(context, member, ct),
            CommandName.Quiz => await study.StartQuizAsync(context, member, ct),
            CommandName.Tasks => await study.TasksAsync(context, member, ct),
            CommandName.Activities => await activities.ListAsync(context, ct),
            CommandName.Register => await activities.RegisterAsync(context, member, command.Argument, ct),
            CommandName.CancelRegistration => await activities.CancelAsync(context, member, command.Argument, ct),
            CommandName.MyRegistrations => await activities.MineAsync(context, member, ct),
            CommandName.CheckIn => await activities.CheckInAsync(context, member, command.Argument, ct),
            CommandName.Points => await points.SummaryAsync(context, member, ct),
            CommandName.Progress => await progress.BranchAsync(context, member.OrganisationId, ct),
            _ => await help.HandleAsync(context, ct),
        };
    }

    /// <summary>Group chats take 活动, 报名 N, 进度, 政策 and 帮助; personal matters are answered in the private chat.</summary>
    private async Task<OutboundReply> DispatchInGroupAsync(ConversationContext context, ParsedCommand command, CancellationToken ct)
    {
        if (context.Group is null)
            return Reply("group_unlinked", new { }, group: true);
        switch (command.Name)
        {
            case CommandName.Activities:
                return await activities.ListAsync(context, ct);
            case CommandName.Progress:
                return await progress.BranchAsync(context, context.Group.OrganisationId, ct);
            case CommandName.Register when context.Member is { } member:
                return await activities.RegisterAsync(context, member, command.Argument, ct);
            case CommandName.Register:
                return Reply("unbound", new { pending = context.Sender.State == Domain.BindingState.Pending }, group: true);
            default:
                return Reply("private_only", new { }, group: true);
        }
    }

    private async Task<OutboundReply> ChooseAsync(ConversationContext context, int number, CancellationToken ct)
    {
        var choice = await session.GetChoiceAsync(context.SessionKey, ct);
        switch (choice?.Kind)
        {
            case ChoiceState.Menu when choice.Labels is { } labels && number >= 1 && number <= labels.Length:
                var menuCommand = commands.Parse(labels[number - 1]);
                return menuCommand is { } mc ? await DispatchAsync(context, mc, ct) : await help.HandleAsync(context, ct);
            case ChoiceState.Activities when context.Member is not null:
                return await activities.DetailAsync(context, number, ct);
            case ChoiceState.Policies when number >= 1 && number <= choice.Ids.Length:
                return policies.Open(choice.Ids[number - 1], choice.Labels?[number - 1] ?? "");
            default:
                return Reply("no_choice", new { number });
        }
    }

    private static bool IsBareNumber(string text) => text.Length is > 0 and <= 3 && text.All(char.IsAsciiDigit);

    private OutboundReply Reply(string template, object model, bool group = false) =>
        OutboundReply.FromText(templates.Render(template, model, group));
}
