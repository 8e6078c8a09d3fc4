using System.Collections.Concurrent;
using System.Globalization;
using ChatBot.Core.Features;
using Fluid;

namespace ChatBot.Host.Templates;

/// <summary>
/// Renders templates/replies/*.liquid with Fluid. Templates are parsed once and cached; a broken template fails
/// at first use with its file name rather than sending members half a sentence.
/// </summary>
public sealed class FluidReplyTemplates : IReplyTemplates
{
    private readonly string _folder;
    private readonly FluidParser _parser = new();
    private readonly TemplateOptions _options;
    private readonly ConcurrentDictionary<string, IFluidTemplate?> _cache = new(StringComparer.Ordinal);

    public FluidReplyTemplates(TemplateFolder folder)
    {
        _folder = Path.Combine(folder.Path, "replies");
        _options = new TemplateOptions
        {
            CultureInfo = CultureInfo.InvariantCulture,
            MemberAccessStrategy = new UnsafeMemberAccessStrategy(),
        };
    }

    public string Render(string name, object? model = null, bool group = false)
    {
        var template = (group ? Load(name + ".group") : null) ?? Load(name)
            ?? throw new InvalidOperationException($"Reply template '{name}.liquid' is missing from {_folder}.");
        var context = new TemplateContext(model ?? new { }, _options);
        return template.Render(context).Trim();
    }

    private IFluidTemplate? Load(string name) => _cache.GetOrAdd(name, n =>
    {
        var path = Path.Combine(_folder, n + ".liquid");
        if (!File.Exists(path)) return null;
        if (!_parser.TryParse(File.ReadAllText(path), out var template, out var error))
            throw new InvalidOperationException($"Reply template '{n}.liquid' does not parse: {error}");
        return template;
    });
}

/// <summary>Where the templates folder is: beside the binary (the build copies it there).</summary>
public sealed record TemplateFolder(string Path)
{
    public static TemplateFolder Default() => new(System.IO.Path.Combine(AppContext.BaseDirectory, "templates"));
}
