namespace ChatBot.Core.Features;

/// <summary>
/// Renders user-facing text from the templates folder (templates/replies/NAME.liquid). The engine passes a model
/// and never holds Chinese sentences in code. A group variant (NAME.group.liquid) is used when present and asked for.
/// </summary>
public interface IReplyTemplates
{
    string Render(string name, object? model = null, bool group = false);
}
