using ChatBot.Core.Features;
using ChatBot.Core.Messaging;

namespace ChatBot.Core.Conversation.Handlers;

/// <summary>帮助 / 菜单: a short numbered menu of what the sender can do now; a bare number then runs that entry.</summary>
public sealed class HelpHandler(IReplyTemplates templates, SessionState session)
{
    private static readonly string[] BoundMenu = ["学习", "任务", "答题", "活动", "我的报名", "积分", "政策", "解绑"];
    private static readonly string[] UnboundMenu = ["绑定", "政策"];
    private static readonly string[] GroupMenu = ["活动", "进度", "政策"];

    public async Task<OutboundReply> HandleAsync(ConversationContext context, CancellationToken ct)
    {
        var menu = context.IsGroup ? GroupMenu : context.Member is null ? UnboundMenu : BoundMenu;
        if (!context.IsGroup)
            await session.SetChoiceAsync(context.SessionKey, new ChoiceState(ChoiceState.Menu, [], menu), ct);
        return OutboundReply.FromText(templates.Render("help", new
        {
            bound = context.Member is not null,
            pending = context.Sender.State == Domain.BindingState.Pending,
            name = context.Member?.Name,
            items = menu,
        }, context.IsGroup));
    }
}
