namespace ChatBot.IntegrationTests.Broadcasts;

/// <summary>With <c>WeChat:Templates:broadcast</c> configured, members outside the 客服 window go by template; 群发 when chosen.</summary>
public sealed class BroadcastTemplateRouteTests
{
    [Fact]
    public async Task Preflight_ClosedWindowGoesByTemplate_OrByMassSendWhenChosen_WithTheMonthsQuota()
    {
        await using var h = await BroadcastHarness.StartAsync(new Dictionary<string, string?>
        {
            ["WeChat:Templates:broadcast:TemplateId"] = "tpl-broadcast",
            ["WeChat:Templates:broadcast:Fields:thing1"] = "title",
            ["WeChat:Templates:broadcast:Fields:time2"] = "time",
        });
        var id = await h.CreateAsync(h.BranchABody(groupChats: false, title: "关于开展二〇二六年度主题党日活动暨党员冬训工作的通知"));
        var preflight = await h.PostAsync($"/api/v1/broadcasts/{id}/preflight");
        Assert.Equal(1, preflight.GetProperty("byRoute").GetProperty("WeChatTemplate").GetInt32());
        Assert.False(preflight.GetProperty("byReason").TryGetProperty("WindowClosedNoTemplate", out _));
        var template = preflight.GetProperty("samples").GetProperty("WeChatTemplate");
        Assert.Equal("tpl-broadcast", template.GetProperty("template_id").GetString());
        var thing1 = template.GetProperty("data").GetProperty("thing1").GetProperty("value").GetString()!;
        Assert.Equal(20, thing1.Length); // cut to 20 characters, the last one "…"
        Assert.EndsWith("…", thing1);
        Assert.False(preflight.TryGetProperty("massSendRemaining", out var none) && none.ValueKind != System.Text.Json.JsonValueKind.Null);

        var mass = await h.CreateAsync(new
        {
            title = "群发测试", text = "本月学习安排。", massSend = true,
            audience = new { organisationIds = new[] { h.Data.BranchA }, includeSubtrees = true },
        });
        var massPreflight = await h.PostAsync($"/api/v1/broadcasts/{mass}/preflight");
        Assert.Equal(1, massPreflight.GetProperty("byRoute").GetProperty("WeChatMassSend").GetInt32());
        // Every WeChat-bound member (cs, closed, unsubscribed, mobile) has all 4 mass sends of the month left.
        Assert.Equal(4, massPreflight.GetProperty("massSendRemaining").GetProperty("4").GetInt32());
    }
}
