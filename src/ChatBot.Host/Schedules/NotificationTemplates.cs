using System.Collections.Concurrent;
using ChatBot.Host.Templates;
using Scriban;

namespace ChatBot.Host.Schedules;

/// <summary>
/// Renders <c>templates/notifications/{kind}.{channel}.liquid</c> (Liquid, Chinese): <c>channel</c> is <c>member</c>
/// (a member's message: 客服 text, template fields, DingTalk 1:1) or <c>group</c> (a branch group chat's markdown). The
/// first line of the output is the title, the rest the body. Parsed once; a broken or missing file fails at first use.
/// </summary>
public sealed class NotificationTemplates(TemplateFolder folder, LiquidRenderer renderer)
{
    public const string Member = "member";
    public const string Group = "group";

    private readonly ConcurrentDictionary<string, Template> _cache = new(StringComparer.Ordinal);

    public string Folder { get; } = Path.Combine(folder.Path, "notifications");

    public (string Title, string Text) Render(string kind, string channel, object model)
    {
        var name = kind + "." + channel;
        var template = _cache.GetOrAdd(name, n =>
        {
            var path = Path.Combine(Folder, n + ".liquid");
            if (!File.Exists(path)) throw new InvalidOperationException($"Notification template {n}.liquid is missing from {Folder}.");
            return LiquidRenderer.Parse(File.ReadAllText(path), path);
        });
        var output = renderer.Render(template, model).Trim().Replace("\r\n", "\n", StringComparison.Ordinal);
        var newline = output.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? (output, "") : (output[..newline].Trim(), output[(newline + 1)..].Trim());
    }
}
