using System.Globalization;
using System.Xml;

namespace ChatBot.Channels.WeChat;

public enum WeChatXmlError
{
    None = 0,
    Empty = 1,
    TooLarge = 2,
    /// <summary>Not well-formed: truncated, bad nesting, undeclared entity, nested content in a field, …</summary>
    Malformed = 3,
    /// <summary>A DOCTYPE (and with it any entity declaration) was present: refused, never processed.</summary>
    DtdProhibited = 4,
    /// <summary>Well-formed, but the root element is not &lt;xml&gt;.</summary>
    UnexpectedRoot = 5,
    InvalidCreateTime = 6,
    /// <summary>An envelope was expected but has no Encrypt element.</summary>
    MissingEncrypt = 7,
}

public readonly record struct WeChatXmlResult<T>(T? Value, WeChatXmlError Error)
    where T : class
{
    public bool IsSuccess => Error == WeChatXmlError.None && Value is not null;
}

/// <summary>
/// Reads WeChat's flat &lt;xml&gt; bodies. The reader refuses DTDs and resolves nothing external, so an
/// XXE payload is a parse failure. Only the root's direct children are read; nested elements
/// (ScanCodeInfo, List, …) are skipped. Failures are results, never exceptions.
/// </summary>
public static class WeChatXmlParser
{
    /// <summary>Far above any real message (text is capped at 2048 bytes) and small enough to refuse floods.</summary>
    public const int DefaultMaxCharacters = 64 * 1024;

    private const string RootName = "xml";

    private static readonly FixedNameTable Names = new([
        RootName, "ToUserName", "FromUserName", "CreateTime", "MsgType", "Content", "MsgId", "MsgDataId", "Idx", "Event",
        "EventKey", "Ticket", "MediaId", "ThumbMediaId", "Format", "Recognition", "PicUrl", "Location_X", "Location_Y",
        "Scale", "Label", "Title", "Description", "Url", "Latitude", "Longitude", "Precision", "MsgID", "Status", "Encrypt",
        "AgentID", "ScanCodeInfo", "SendLocationInfo", "SendPicsInfo", "List",
    ]);
    // The latest representable DateTime; CreateTime beyond it cannot be mapped to a time.
    private const long MaxUnixSeconds = 253_402_300_799;

    /// <summary>Reads ToUserName and Encrypt of a safe/compatible-mode body.</summary>
    public static WeChatXmlResult<WeChatEnvelope> ParseEnvelope(string? xml, int maxCharacters = DefaultMaxCharacters)
    {
        if (xml is not null && xml.Length <= maxCharacters && SafeModeEnvelope.TryRead(xml) is { } exact)
            return new(exact, WeChatXmlError.None);
        var fields = new Fields();
        var error = Read(xml, maxCharacters, envelopeOnly: true, ref fields);
        if (error != WeChatXmlError.None)
            return new(null, error);
        if (string.IsNullOrEmpty(fields.Encrypt))
            return new(null, WeChatXmlError.MissingEncrypt);
        return new(new WeChatEnvelope(fields.ToUserName, fields.Encrypt), WeChatXmlError.None);
    }

    /// <summary>Reads every known field of a plaintext (or decrypted) message.</summary>
    public static WeChatXmlResult<WeChatInboundPayload> ParseMessage(string? xml, int maxCharacters = DefaultMaxCharacters)
    {
        var fields = new Fields();
        var error = Read(xml, maxCharacters, envelopeOnly: false, ref fields);
        if (error != WeChatXmlError.None)
            return new(null, error);

        long createTime = 0;
        if (fields.CreateTime is not null
            && (!long.TryParse(fields.CreateTime, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out createTime) || createTime > MaxUnixSeconds))
            return new(null, WeChatXmlError.InvalidCreateTime);

        return new(fields.ToPayload(createTime), WeChatXmlError.None);
    }

    private static WeChatXmlError Read(string? xml, int maxCharacters, bool envelopeOnly, ref Fields fields)
    {
        if (string.IsNullOrWhiteSpace(xml))
            return WeChatXmlError.Empty;
        if (xml.Length > maxCharacters)
            return WeChatXmlError.TooLarge;

        try
        {
            // The string-fragment constructor parses straight from the string: XmlReader.Create over a
            // StringReader allocates ~8 KB of buffers per call, which is most of a message's budget.
            // Security settings are the same: no DTD, no resolver, character checking on.
            using var reader = new XmlTextReader(xml, XmlNodeType.Document, new XmlParserContext(Names, null, null, XmlSpace.None))
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                EntityHandling = EntityHandling.ExpandCharEntities,
                Normalization = true,
                WhitespaceHandling = WhitespaceHandling.None,
            };

            if (reader.MoveToContent() != XmlNodeType.Element)
                return WeChatXmlError.Malformed;
            if (!string.Equals(reader.LocalName, RootName, StringComparison.Ordinal))
                return WeChatXmlError.UnexpectedRoot;

            if (!reader.IsEmptyElement)
            {
                reader.Read();
                while (reader.NodeType != XmlNodeType.EndElement)
                {
                    switch (reader.NodeType)
                    {
                        case XmlNodeType.Element:
                            if (!fields.TryAssign(reader, envelopeOnly))
                                reader.Skip();
                            break;
                        case XmlNodeType.None:
                        case XmlNodeType.EntityReference:
                            return WeChatXmlError.Malformed;
                        default:
                            reader.Read();
                            break;
                    }
                }
            }

            // Read to the end so trailing garbage or a second root is caught as malformed.
            while (reader.Read())
            {
            }
            return WeChatXmlError.None;
        }
        catch (XmlException)
        {
            return xml.Contains("<!DOCTYPE", StringComparison.OrdinalIgnoreCase) ? WeChatXmlError.DtdProhibited : WeChatXmlError.Malformed;
        }
        catch (InvalidOperationException)
        {
            return WeChatXmlError.Malformed;
        }
    }

    private struct Fields
    {
        public string? ToUserName, FromUserName, CreateTime, MsgType, Content, MsgId, MsgDataId, Idx, Event, EventKey,
            Ticket, MediaId, ThumbMediaId, Format, Recognition, PicUrl, LocationX, LocationY, Scale, Label, Title,
            Description, Url, Latitude, Longitude, Precision, MsgID, Status, Encrypt;

        /// <summary>Reads the element's text into its field and moves past it; false for fields not wanted.</summary>
        public bool TryAssign(XmlTextReader reader, bool envelopeOnly)
        {
            var name = reader.LocalName;
            if (envelopeOnly)
            {
                switch (name)
                {
                    case "ToUserName": ToUserName = Text(reader); return true;
                    case "Encrypt": Encrypt = Text(reader); return true;
                    default: return false;
                }
            }

            switch (name)
            {
                case "ToUserName": ToUserName = Text(reader); return true;
                case "FromUserName": FromUserName = Text(reader); return true;
                case "CreateTime": CreateTime = Text(reader); return true;
                case "MsgType": MsgType = Text(reader); return true;
                case "Content": Content = Text(reader); return true;
                case "MsgId": MsgId = Text(reader); return true;
                case "MsgDataId": MsgDataId = Text(reader); return true;
                case "Idx": Idx = Text(reader); return true;
                case "Event": Event = Text(reader); return true;
                case "EventKey": EventKey = Text(reader); return true;
                case "Ticket": Ticket = Text(reader); return true;
                case "MediaId": MediaId = Text(reader); return true;
                case "ThumbMediaId": ThumbMediaId = Text(reader); return true;
                case "Format": Format = Text(reader); return true;
                case "Recognition": Recognition = Text(reader); return true;
                case "PicUrl": PicUrl = Text(reader); return true;
                case "Location_X": LocationX = Text(reader); return true;
                case "Location_Y": LocationY = Text(reader); return true;
                case "Scale": Scale = Text(reader); return true;
                case "Label": Label = Text(reader); return true;
                case "Title": Title = Text(reader); return true;
                case "Description": Description = Text(reader); return true;
                case "Url": Url = Text(reader); return true;
                case "Latitude": Latitude = Text(reader); return true;
                case "Longitude": Longitude = Text(reader); return true;
                case "Precision": Precision = Text(reader); return true;
                case "MsgID": MsgID = Text(reader); return true;
                case "Status": Status = Text(reader); return true;
                case "Encrypt": Encrypt = Text(reader); return true;
                default: return false;
            }
        }

        // Joins text and CDATA sections (a "]]>" inside content arrives split over two CDATA
        // sections) and throws XmlException when the element has child elements.
        private static string Text(XmlTextReader reader) => reader.ReadElementContentAsString();

        public readonly WeChatInboundPayload ToPayload(long createTime) => new()
        {
            ToUserName = ToUserName,
            FromUserName = FromUserName,
            CreateTime = createTime,
            MsgType = MsgType,
            Content = Content,
            MsgId = MsgId,
            MsgDataId = MsgDataId,
            Idx = Idx,
            Event = Event,
            EventKey = EventKey,
            Ticket = Ticket,
            MediaId = MediaId,
            ThumbMediaId = ThumbMediaId,
            Format = Format,
            Recognition = Recognition,
            PicUrl = PicUrl,
            LocationX = LocationX,
            LocationY = LocationY,
            Scale = Scale,
            Label = Label,
            Title = Title,
            Description = Description,
            Url = Url,
            Latitude = Latitude,
            Longitude = Longitude,
            Precision = Precision,
            MsgID = MsgID,
            Status = Status,
            Encrypt = Encrypt,
        };
    }
}
