using System.Text;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ChatBot.Host.Broadcasts;

/// <summary>
/// A broadcast is written in Markdown (group chats render it), but a WeChat 客服 text, a mass text or a template field
/// shows every character as typed: "**请各位党员**" would arrive with its asterisks. This renders the text the way a
/// person would type it in chat: emphasis dropped, headings as their own line, list items as "· " or "1. ", links as
/// "text（url）" unless the text is the URL, one line per paragraph.
/// </summary>
public static class PlainTextFromMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().DisableHtml().Build();

    public static string Render(string markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
            return "";
        var document = Markdown.Parse(markdown, Pipeline);
        var text = new StringBuilder();
        foreach (var block in document)
            AppendBlock(text, block, prefix: "");
        return text.ToString().TrimEnd();
    }

    private static void AppendBlock(StringBuilder text, Block block, string prefix)
    {
        switch (block)
        {
            case ListBlock list:
                var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    var marker = list.IsOrdered ? $"{number++}. " : "· ";
                    var first = true;
                    foreach (var child in item)
                    {
                        AppendBlock(text, child, first ? prefix + marker : prefix + new string(' ', marker.Length));
                        first = false;
                    }
                }
                break;
            case QuoteBlock quote:
                foreach (var child in quote)
                    AppendBlock(text, child, prefix + "> ");
                break;
            case LeafBlock leaf when leaf.Inline is not null:
                text.Append(prefix);
                AppendInlines(text, leaf.Inline);
                text.Append('\n');
                break;
            case LeafBlock leaf:
                // Code blocks and the like: their lines as written.
                foreach (var line in leaf.Lines.Lines.Take(leaf.Lines.Count))
                    text.Append(prefix).Append(line.Slice.ToString()).Append('\n');
                break;
            case ContainerBlock container:
                foreach (var child in container)
                    AppendBlock(text, child, prefix);
                break;
        }
    }

    private static void AppendInlines(StringBuilder text, ContainerInline container)
    {
        foreach (var inline in container)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    text.Append(literal.Content.ToString());
                    break;
                case CodeInline code:
                    text.Append(code.Content);
                    break;
                case LineBreakInline:
                    text.Append('\n');
                    break;
                case LinkInline { IsImage: true } image:
                    text.Append(image.Url);
                    break;
                case LinkInline link:
                    var label = new StringBuilder();
                    AppendInlines(label, link);
                    var url = link.Url ?? "";
                    if (label.Length == 0 || label.ToString() == url) text.Append(url);
                    else text.Append(label).Append('（').Append(url).Append('）');
                    break;
                case AutolinkInline autolink:
                    text.Append(autolink.Url);
                    break;
                case ContainerInline nested:
                    AppendInlines(text, nested);
                    break;
                case HtmlEntityInline entity:
                    text.Append(entity.Transcoded.ToString());
                    break;
            }
        }
    }
}
