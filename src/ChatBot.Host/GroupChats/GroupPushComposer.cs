using System.Text;

namespace ChatBot.Host.GroupChats;

/// <summary>One robot message and the queued pushes it carries.</summary>
public sealed record ComposedPush<TItem>(GroupPush Push, IReadOnlyList<TItem> Items);

/// <summary>
/// Merges queued text and markdown pushes for one chat into a single markdown message, in queue order, while it stays
/// within <see cref="MaxMergedBytes"/>. A robot takes 20 messages a minute and a group reads one digest better than
/// many pings. Cards, link lists and pushes that @-mention someone keep their own message.
/// </summary>
public sealed class GroupPushComposer
{
    /// <summary>Below WeCom's 4096-byte markdown cap (DingTalk's is larger), leaving room for the separators.</summary>
    public const int MaxMergedBytes = 4000;

    private const string Separator = "\n\n---\n\n";

    /// <param name="queue">Pending pushes of one chat in creation order; the first is always part of the result.</param>
    public ComposedPush<TItem> ComposeNext<TItem>(IReadOnlyList<(TItem Item, GroupPush Push)> queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentOutOfRangeException.ThrowIfZero(queue.Count);
        var (firstItem, first) = queue[0];
        if (!IsMergeable(first))
            return new ComposedPush<TItem>(first, [firstItem]);

        var sections = new List<string> { Section(first) };
        var items = new List<TItem> { firstItem };
        var bytes = Encoding.UTF8.GetByteCount(sections[0]);
        foreach (var (item, push) in queue.Skip(1))
        {
            if (!IsMergeable(push))
                break;
            var section = Section(push);
            var added = Encoding.UTF8.GetByteCount(Separator) + Encoding.UTF8.GetByteCount(section);
            if (bytes + added > MaxMergedBytes)
                break;
            sections.Add(section);
            items.Add(item);
            bytes += added;
        }

        if (items.Count == 1)
            return new ComposedPush<TItem>(first, items);
        var title = !string.IsNullOrWhiteSpace(first.Title) ? first.Title : FirstLine(first.Text);
        return new ComposedPush<TItem>(GroupPush.MarkdownText(title, string.Join(Separator, sections)), items);
    }

    private static bool IsMergeable(GroupPush push) =>
        push.Kind is GroupPushKind.Text or GroupPushKind.Markdown && !push.HasMentions;

    private static string Section(GroupPush push)
    {
        // Plain text keeps its line breaks in markdown only as hard breaks (two trailing spaces).
        var body = push.Kind == GroupPushKind.Text
            ? push.Text.ReplaceLineEndings("\n").Replace("\n", "  \n", StringComparison.Ordinal)
            : push.Text;
        return string.IsNullOrWhiteSpace(push.Title) ? body : $"#### {push.Title}\n\n{body}";
    }

    private static string FirstLine(string text) =>
        text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
}
