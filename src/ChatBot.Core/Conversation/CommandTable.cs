namespace ChatBot.Core.Conversation;

public enum CommandName
{
    Help,
    Bind,
    Unbind,
    Lesson,
    Quiz,
    Tasks,
    Policy,
    Activities,
    Register,
    CancelRegistration,
    MyRegistrations,
    CheckIn,
    Points,
    Progress,
    Cancel,
    Confirm,
    /// <summary>人工: hand the question (given, or the last unanswered one) to a person.</summary>
    Human,
}

public readonly record struct ParsedCommand(CommandName Name, string Argument);

/// <summary>
/// The words members use (DOMAIN.md), including the traditional-character forms some phones produce, and the
/// custom-menu keys that stand for them, so typed text, menu clicks and group @-messages mean the same thing.
/// </summary>
public sealed class CommandTable
{
    private readonly (string Word, CommandName Name)[] _words;
    private readonly Dictionary<string, string> _menuKeys;

    public CommandTable()
    {
        var words = new List<(string, CommandName)>
        {
            ("帮助", CommandName.Help), ("幫助", CommandName.Help), ("菜单", CommandName.Help), ("菜單", CommandName.Help),
            ("?", CommandName.Help), ("help", CommandName.Help),
            ("绑定", CommandName.Bind), ("綁定", CommandName.Bind),
            ("解绑", CommandName.Unbind), ("解綁", CommandName.Unbind), ("解除绑定", CommandName.Unbind),
            ("今日微党课", CommandName.Lesson), ("微党课", CommandName.Lesson), ("微黨課", CommandName.Lesson),
            ("学习", CommandName.Lesson), ("學習", CommandName.Lesson),
            ("答题", CommandName.Quiz), ("答題", CommandName.Quiz),
            ("我的学习任务", CommandName.Tasks), ("我的任务", CommandName.Tasks), ("任务", CommandName.Tasks), ("任務", CommandName.Tasks),
            ("政策查询", CommandName.Policy), ("政策", CommandName.Policy),
            ("近期活动", CommandName.Activities), ("活动", CommandName.Activities), ("活動", CommandName.Activities),
            ("取消报名", CommandName.CancelRegistration), ("取消報名", CommandName.CancelRegistration),
            ("我的报名", CommandName.MyRegistrations), ("我的報名", CommandName.MyRegistrations),
            ("报名", CommandName.Register), ("報名", CommandName.Register),
            ("签到", CommandName.CheckIn), ("簽到", CommandName.CheckIn),
            ("我的积分", CommandName.Points), ("积分", CommandName.Points), ("積分", CommandName.Points),
            ("进度", CommandName.Progress), ("進度", CommandName.Progress),
            ("取消", CommandName.Cancel),
            ("转人工", CommandName.Human), ("人工服务", CommandName.Human), ("人工客服", CommandName.Human), ("人工", CommandName.Human),
            ("确认", CommandName.Confirm), ("確認", CommandName.Confirm),
        };
        // Longest first so 取消报名 wins over 取消 and 我的报名 over 报名.
        _words = words.OrderByDescending(w => w.Item1.Length).ToArray();

        _menuKeys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["LESSON_TODAY"] = "学习",
            ["MY_TASKS"] = "任务",
            ["QUIZ"] = "答题",
            ["ACTIVITIES"] = "活动",
            ["MY_SIGNUPS"] = "我的报名",
            ["CHECKIN"] = "签到",
            ["MY_POINTS"] = "积分",
            ["POLICY"] = "政策",
            ["HELP"] = "帮助",
        };
    }

    public IReadOnlyDictionary<string, string> MenuKeys => _menuKeys;

    /// <summary>The command text a menu key stands for, or null for an unknown key.</summary>
    public string? FromMenuKey(string? key) => key is not null && _menuKeys.TryGetValue(key, out var text) ? text : null;

    /// <summary>Parses normalised text; a command word must start the text ("报名 3", "报名3", "签到 123456").</summary>
    public ParsedCommand? Parse(string normalized)
    {
        if (normalized.Length == 0) return null;
        foreach (var (word, name) in _words)
        {
            if (!normalized.StartsWith(word, StringComparison.OrdinalIgnoreCase)) continue;
            var rest = normalized[word.Length..].Trim();
            // "政策" takes free text; the others take short arguments. "学习强国" is not the 学习 command.
            if (name is CommandName.Lesson or CommandName.Quiz or CommandName.Tasks or CommandName.Activities
                or CommandName.MyRegistrations or CommandName.Points or CommandName.Help or CommandName.Unbind
                or CommandName.Progress or CommandName.Cancel or CommandName.Confirm)
            {
                if (rest.Length > 0 && !normalized[word.Length..].StartsWith(' ')) continue;
                if (rest.Length > 0 && name is not CommandName.Help) continue;
            }
            // "人工 问题" / "人工：问题" is the command; "人工智能…" is a question like any other.
            if (name is CommandName.Human && rest.Length > 0 && char.IsLetterOrDigit(normalized[word.Length])) continue;
            return new ParsedCommand(name, rest.TrimStart(':', '：', ',', '，').Trim());
        }
        return null;
    }
}
