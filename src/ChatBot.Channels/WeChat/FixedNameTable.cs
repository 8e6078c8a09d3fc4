using System.Xml;

namespace ChatBot.Channels.WeChat;

/// <summary>
/// A read-only XML name table holding the element names WeChat sends. A fresh NameTable per parse costs
/// about 0.9 KB; a shared ordinary one would be mutated concurrently and could be grown without bound
/// by unknown element names. Known names come back atomized; others as new, unshared strings.
/// </summary>
internal sealed class FixedNameTable : XmlNameTable
{
    private readonly Dictionary<string, string> _names;
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public FixedNameTable(IEnumerable<string> names)
    {
        _names = new Dictionary<string, string>(StringComparer.Ordinal) { [""] = "" };
        foreach (var name in names)
            _names.TryAdd(name, name);
        // Names the reader itself atomizes and compares by reference.
        foreach (var name in (string[])["xml", "xmlns", "lang", "space", "http://www.w3.org/XML/1998/namespace", "http://www.w3.org/2000/xmlns/"])
            _names.TryAdd(name, name);
        _lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public override string Add(char[] array, int offset, int length) =>
        _lookup.TryGetValue(array.AsSpan(offset, length), out var name) ? name : new string(array, offset, length);

    public override string Add(string array) => _names.TryGetValue(array, out var name) ? name : array;

    public override string? Get(char[] array, int offset, int length) =>
        _lookup.TryGetValue(array.AsSpan(offset, length), out var name) ? name : null;

    public override string? Get(string array) => _names.TryGetValue(array, out var name) ? name : null;
}
