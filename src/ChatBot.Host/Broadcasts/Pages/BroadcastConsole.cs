using System.Globalization;
using Markdig;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ChatBot.Host.Broadcasts.Pages;

/// <summary>
/// The console pages call <see cref="BroadcastService"/> directly (the same checks, scope and audit as the API) and
/// read its <see cref="IResult"/> answers through <see cref="Unwrap{T}"/>.
/// </summary>
public static class BroadcastConsole
{
    /// <summary>The one sanitised rendering of Markdown the console and member pages share (no raw HTML, no unsafe links).</summary>
    public static string RenderMarkdown(string? text) => Content.ContentMarkdown.ToSafeHtml(text);

    public sealed record Outcome<T>(int Status, T? Value, IReadOnlyDictionary<string, string[]> Errors, string? Message)
    {
        public bool Ok => Status is >= 200 and < 300;
        public bool NotFound => Status == StatusCodes.Status404NotFound;

        /// <summary>Validation errors and conflicts as one line of text for the page's alert.</summary>
        public string ErrorText => Errors.Count > 0
            ? string.Join("；", Errors.SelectMany(e => e.Value.Select(v => $"{FieldLabel(e.Key)}：{v}")))
            : Message ?? $"HTTP {Status}";
    }

    public static Outcome<T> Unwrap<T>(IResult result)
    {
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        if (result is ProblemHttpResult problem)
        {
            var errors = problem.ProblemDetails is HttpValidationProblemDetails v
                ? v.Errors.ToDictionary(e => e.Key, e => e.Value)
                : new Dictionary<string, string[]>();
            return new Outcome<T>(problem.StatusCode, default, errors, problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title);
        }
        if (result is ValidationProblem validation)
            return new Outcome<T>(StatusCodes.Status400BadRequest, default, validation.ProblemDetails.Errors.ToDictionary(e => e.Key, e => e.Value), null);
        var value = (result as IValueHttpResult)?.Value;
        return new Outcome<T>(status, value is T typed ? typed : default, new Dictionary<string, string[]>(), null);
    }

    /// <summary>A value of an anonymous answer (the resend's <c>runId</c>), read by name.</summary>
    public static object? Property(object? value, string name) => value?.GetType().GetProperty(name)?.GetValue(value);

    public static string FieldLabel(string field) => field switch
    {
        "title" => "标题",
        "text" => "正文",
        "contentItemId" => "关联内容",
        "audience" or "audience.organisationIds" => "接收组织",
        "audience.statuses" => "党员类别",
        "sendAt" => "发送时间",
        "cron" => "周期",
        _ => field,
    };

    public static string Status(string status) => status switch
    {
        "Draft" => "草稿",
        "Scheduled" => "已排期",
        "Running" => "发送中",
        "Completed" => "已完成",
        "Cancelled" => "已取消",
        "Paused" => "已暂停",
        _ => status,
    };

    public static string RunStatus(string? status) => status switch
    {
        null => "—",
        "Planned" => "准备中",
        "Sending" => "发送中",
        "Completed" => "已完成",
        "Failed" => "失败",
        "Paused" => "已暂停",
        "Cancelled" => "已取消",
        _ => status,
    };

    public static string DeliveryStatus(string status) => status switch
    {
        "Pending" => "待发送",
        "Sending" => "发送中",
        "Sent" => "已发送",
        "Failed" => "失败",
        "Unknown" => "结果未知",
        "Skipped" => "已跳过",
        _ => status,
    };

    public static string Route(string? route) => route switch
    {
        null or "" => "—",
        "WeChatCustomerService" => "微信客服消息",
        "WeChatTemplate" => "微信模板消息",
        "WeChatMassSend" => "微信群发",
        "DingTalkOneToOne" => "钉钉单聊",
        "DingTalkSession" => "钉钉会话",
        "DingTalkRobot" => "钉钉群机器人",
        "WeComRobot" => "企业微信群机器人",
        _ => route,
    };

    /// <summary>Reasons as the router names them (preflight) and as the run writes them (camelCase Skipped reasons).</summary>
    public static string Reason(string? reason) => (reason ?? "").ToLowerInvariant() switch
    {
        "" => "",
        "unbound" => "未绑定任何账号",
        "unsubscribed" => "已取消关注公众号",
        "windowclosednotemplate" => "超过 48 小时未互动且未配置模板消息",
        "massquotaused" => "本月群发次数已用完",
        "groupchatbroken" => "群机器人故障",
        "groupchatmuted" => "群聊已静音",
        "budget" => "本周推送次数已达上限",
        "channeloff" => "所需渠道未开通",
        "cancelled" => "推送已取消",
        _ => reason!,
    };

    public static string Local(DateTime? utc, TimeZoneInfo zone) => utc is { } at
        ? TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(at, DateTimeKind.Utc), zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
        : "—";

    /// <summary>The next <paramref name="count"/> occurrences of a 5-field cron in the configured time zone (empty when invalid).</summary>
    public static IReadOnlyList<DateTime> NextRuns(string? cron, DateTime nowUtc, TimeZoneInfo zone, int count = 5)
    {
        if (string.IsNullOrWhiteSpace(cron) || BroadcastService.TryParseCron(cron) is not { } expression) return [];
        var runs = new List<DateTime>();
        var from = DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc);
        while (runs.Count < count && expression.GetNextOccurrence(from, zone) is { } next)
        {
            runs.Add(next);
            from = next;
        }
        return runs;
    }

    /// <summary>Runs <paramref name="result"/> (the service's streamed CSV) on the page's response.</summary>
    public static async Task<IActionResult> ExecuteAsync(IResult result, HttpContext http)
    {
        await result.ExecuteAsync(http);
        return new EmptyResult();
    }
}
