using ChatBot.Host.Schedules;
using ChatBot.Host.Templates;
using Scriban;
using Scriban.Runtime;

namespace ChatBot.IntegrationTests.Schedules;

/// <summary>Every file in templates/notifications renders with a sample model: no error, no undefined variable, no leftover tag.</summary>
public sealed class NotificationTemplateTests
{
    private static readonly DateTime At = new(2026, 3, 2, 19, 0, 0);

    private static object? SampleFor(string name) => name switch
    {
        "policy_digest.member" => new { count = 2, first_title = "个体工商户减税政策", name = "王建国", items = new object[] { new { title = "a" } } },
        "policy_digest.group" => new
        {
            count = 2,
            items = new object[]
            {
                new { id = 1, title = "个体工商户减税政策", summary = "摘要", url = "https://dj.example.cn/m/policies/1", published_at = At },
                new { id = 2, title = "摊位租金减免", summary = "", url = "https://dj.example.cn/m/policies/2", published_at = At },
            },
        },
        "lesson.member" => new { title = "党的性质", summary = "概要", minutes = 5, number = 3, name = "王建国" },
        "lesson.group" => new { title = "党的性质", summary = "概要", minutes = 5, number = 3 },
        "study_reminder.member" => new
        {
            name = "王建国", count = 2, overdue_count = 1,
            items = new object[] { new { title = "党章学习", due_at = At, overdue = true, url = "u" }, new { title = "二十大", due_at = At, overdue = false, url = "u" } },
        },
        "activity_reminder.member" => new { title = "主题党日", location = "二楼", starts_at = At, hours_left = 24, within_hour = false, name = "王建国" },
        "activity_signups.member" => new
        {
            title = "主题党日", location = "二楼", starts_at = At, capacity = (int?)10, registered_count = 2, waitlisted_count = 1, names = new[] { "王建国", "李秀英" },
        },
        "cadence_alert.member" or "cadence_alert.group" => new
        {
            branch = "城南市场党支部", due_date = "3月31日", console_url = "https://dj.example.cn/admin/cadence",
            meetings = new object[] { new { name = "支部党员大会", frequency = "每季度", period = "第一季度" }, new { name = "党课", frequency = "每季度", period = "第一季度" } },
        },
        "cadence_weekly.member" or "cadence_weekly.group" => new
        {
            week = "3月2日—3月8日", console_url = "https://dj.example.cn/admin/cadence",
            branches = new object[] { new { name = "城南市场党支部", meetings = new object[] { new { name = "支委会", period = "2月" }, new { name = "主题党日", period = "2月" } } } },
        },
        _ => null,
    };

    public static IEnumerable<object[]> Files() =>
        Directory.GetFiles(Path.Combine(TemplateFolder.Default().Path, "notifications"), "*.liquid")
            .Select(f => new object[] { Path.GetFileNameWithoutExtension(f) }).OrderBy(f => (string)f[0]);

    [Theory]
    [MemberData(nameof(Files))]
    public void Renders_WithSample_NoErrorNoLeftoverPlaceholder(string name)
    {
        var model = SampleFor(name);
        Assert.True(model is not null, $"templates/notifications/{name}.liquid has no sample model in this test: add one");
        var path = Path.Combine(TemplateFolder.Default().Path, "notifications", name + ".liquid");
        var template = LiquidRenderer.Parse(File.ReadAllText(path), path);

        // Strict: a misspelt variable is an error here, not an empty string in a member's message.
        var globals = new ScriptObject();
        globals.Import("date", new Func<object?, string, string>(LiquidRenderer.StrftimeDate));
        globals.Import(model, renamer: m => m.Name);
        var context = new LiquidTemplateContext { MemberRenamer = m => m.Name, StrictVariables = true };
        context.PushGlobal(globals);
        var output = template.Render(context).Trim();

        foreach (var leftover in new[] { "{{", "}}", "{%", "%}" }) Assert.DoesNotContain(leftover, output);
        Assert.DoesNotContain("《》", output);
        var (kind, channel) = (name[..name.IndexOf('.')], name[(name.IndexOf('.') + 1)..]);
        Assert.Contains(channel, new[] { NotificationTemplates.Member, NotificationTemplates.Group });
        var (title, _) = new NotificationTemplates(TemplateFolder.Default(), new LiquidRenderer()).Render(kind, channel, model!);
        Assert.False(string.IsNullOrWhiteSpace(title));
        Assert.True(title.Length <= 64, title);
    }

    [Fact]
    public void EveryMessageKindTheTasksSend_HasItsTemplate()
    {
        var folder = Path.Combine(TemplateFolder.Default().Path, "notifications");
        foreach (var name in new[] { "policy_digest.member", "policy_digest.group", "lesson.member", "lesson.group", "study_reminder.member", "activity_reminder.member", "activity_signups.member" })
            Assert.True(File.Exists(Path.Combine(folder, name + ".liquid")), name);
    }
}
