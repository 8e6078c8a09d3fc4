using ChatBot.Core.Domain;

namespace ChatBot.Host.Ledger;

/// <summary>The words the console (and the CSV columns) use for the domain's enums, from DOMAIN.md.</summary>
public static class LedgerLabels
{
    public static readonly IReadOnlyList<(OrganisationKind Kind, string Label)> Kinds =
    [
        (OrganisationKind.Committee, "党委"),
        (OrganisationKind.EnterpriseBranch, "企业党支部"),
        (OrganisationKind.JointBranch, "联合党支部（联建）"),
        (OrganisationKind.MarketBranch, "商圈/市场党支部"),
        (OrganisationKind.AssociationBranch, "个私协会分会党支部"),
        (OrganisationKind.CentralBranch, "中心支部（兜底）"),
    ];

    public static readonly IReadOnlyList<(MemberStatus Status, string Label)> Statuses =
    [
        (MemberStatus.Full, "正式党员"),
        (MemberStatus.Probationary, "预备党员"),
        (MemberStatus.Activist, "入党积极分子"),
    ];

    public static string Kind(OrganisationKind kind) => Kinds.FirstOrDefault(k => k.Kind == kind).Label ?? kind.ToString();

    public static string Status(MemberStatus status) => Statuses.FirstOrDefault(s => s.Status == status).Label ?? status.ToString();

    public static bool TryParseStatus(string? text, out MemberStatus status)
    {
        var t = (text ?? "").Trim();
        foreach (var (s, label) in Statuses)
            if (label == t || (t.Length > 0 && label.StartsWith(t, StringComparison.Ordinal) && t.Length >= 2))
            {
                status = s;
                return true;
            }
        status = default;
        return false;
    }

    public static string Channel(Channel channel) => channel switch
    {
        Core.Domain.Channel.WeChat => "微信",
        Core.Domain.Channel.DingTalk => "钉钉",
        Core.Domain.Channel.WeCom => "企业微信",
        _ => channel.ToString(),
    };

    public static string Delivery(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Pending => "待发送",
        DeliveryStatus.Sent => "已发送",
        DeliveryStatus.Failed => "失败",
        DeliveryStatus.Unknown => "结果未知",
        DeliveryStatus.Skipped => "已跳过",
        _ => status.ToString(),
    };
}
