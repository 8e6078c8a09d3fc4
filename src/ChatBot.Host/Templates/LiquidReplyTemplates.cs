using System.Collections.Concurrent;
using ChatBot.Core.Features;
using Scriban;
using Scriban.Runtime;

namespace ChatBot.Host.Templates;

/// <summary>
/// Renders templates/replies/*.liquid (Liquid syntax, run by Scriban's Liquid mode). Templates are parsed once and
/// cached; a broken template fails at first use with its file name rather than sending members half a sentence.
/// </summary>
/// <remarks>
/// Fluid was the first choice, but the only Fluid.Core our package source serves (2.41.1) needs Parlot 1.5.9 and
/// the source only has Parlot 2.2.1, which fails at runtime with MissingMethodException.
/// </remarks>
public sealed class LiquidReplyTemplates(TemplateFolder folder) : IReplyTemplates
{
    private readonly string _folder = Path.Combine(folder.Path, "replies");
    private readonly ConcurrentDictionary<string, Template?> _cache = new(StringComparer.Ordinal);

    public string Render(string name, object? model = null, bool group = false)
    {
        var template = (group ? Load(name + ".group") : null) ?? Load(name)
            ?? throw new InvalidOperationException($"Reply template '{name}.liquid' is missing from {_folder}.");
        return LiquidModel.Render(template, model).Trim();
    }

    private Template? Load(string name) => _cache.GetOrAdd(name, n =>
    {
        var path = Path.Combine(_folder, n + ".liquid");
        return File.Exists(path) ? LiquidModel.Parse(File.ReadAllText(path), path) : null;
    });
}

/// <summary>Parsing and rendering shared by reply and page templates.</summary>
public static class LiquidModel
{
    public static Template Parse(string text, string path)
    {
        var template = Template.ParseLiquid(text, path);
        if (template.HasErrors)
            throw new InvalidOperationException($"Template {path} does not parse: {string.Join("; ", template.Messages)}");
        return template;
    }

    public static string Render(Template template, object? model)
    {
        var globals = new ScriptObject();
        // Liquid's `date` filter with strftime codes; Scriban's Liquid mode maps `date` to its own object instead.
        globals.Import("date", new Func<object?, string, string>(StrftimeDate));
        if (model is not null) globals.Import(model, renamer: m => m.Name);
        var context = new LiquidTemplateContext { MemberRenamer = m => m.Name, StrictVariables = false };
        context.PushGlobal(globals);
        return template.Render(context);
    }

    /// <summary>The strftime codes our templates use: %Y %m %d %H %M, and %-m %-d without padding.</summary>
    public static string StrftimeDate(object? value, string format)
    {
        if (value is not DateTime time) return value?.ToString() ?? "";
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return format
            .Replace("%-m", time.Month.ToString(inv), StringComparison.Ordinal)
            .Replace("%-d", time.Day.ToString(inv), StringComparison.Ordinal)
            .Replace("%Y", time.ToString("yyyy", inv), StringComparison.Ordinal)
            .Replace("%m", time.ToString("MM", inv), StringComparison.Ordinal)
            .Replace("%d", time.ToString("dd", inv), StringComparison.Ordinal)
            .Replace("%H", time.ToString("HH", inv), StringComparison.Ordinal)
            .Replace("%M", time.ToString("mm", inv), StringComparison.Ordinal);
    }
}

/// <summary>Where the templates folder is: beside the binary (the build copies it there).</summary>
public sealed record TemplateFolder(string Path)
{
    public static TemplateFolder Default() => new(System.IO.Path.Combine(AppContext.BaseDirectory, "templates"));
}
