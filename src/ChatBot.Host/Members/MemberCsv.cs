using System.Globalization;
using System.Text;
using ChatBot.Core.Domain;
using ChatBot.Host.Ledger;
using CsvHelper;
using CsvHelper.Configuration;

namespace ChatBot.Host.Members;

/// <summary>
/// The member CSV format shared by import and export (docs/CONSOLE-LEDGER.md): one header row with these column
/// names, in any order. Export writes exactly what import reads, so an exported file re-imports without changes.
/// </summary>
public static class MemberCsv
{
    public const string Name = "姓名";
    public const string Phone = "手机号";
    public const string Branch = "所在支部";
    public const string Status = "党员类别";
    public const string Mobile = "流动党员";
    public const string Business = "经营户名称";

    public static readonly IReadOnlyList<string> Columns = [Name, Phone, Branch, Status, Mobile, Business];

    /// <summary>Other spellings seen in real ledgers, mapped onto the columns above.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>
    {
        ["手机"] = Phone, ["手机号码"] = Phone, ["联系电话"] = Phone, ["电话"] = Phone,
        ["支部"] = Branch, ["所在党支部"] = Branch, ["党组织"] = Branch, ["所在党组织"] = Branch,
        ["类别"] = Status, ["人员类别"] = Status, ["党员身份"] = Status,
        ["是否流动党员"] = Mobile,
        ["经营户"] = Business, ["店铺名称"] = Business, ["企业名称"] = Business,
    };

    public const int MaxBytes = 2 * 1024 * 1024;
    public const int MaxRows = 5000;

    /// <summary>
    /// Spreadsheets on Chinese Windows save CSV as GBK; newer ones as UTF-8, often with a BOM. A file that is valid
    /// UTF-8 is read as UTF-8 (GBK text of any length is almost never valid UTF-8), anything else as GBK (code page 936).
    /// </summary>
    public static string Decode(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ReadOnlySpan<byte> span = bytes;
        if (span.StartsWith("\xEF\xBB\xBF"u8)) span = span[3..];
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(span);
        }
        catch (DecoderFallbackException)
        {
            return Gbk.GetString(span);
        }
    }

    /// <summary>GBK from the runtime's code-page provider, asked for directly so no process-wide registration is needed.</summary>
    public static Encoding Gbk { get; } = CodePagesEncodingProvider.Instance.GetEncoding(936)
        ?? throw new InvalidOperationException("Code page 936 (GBK) is not available.");

    public static bool? ParseYesNo(string? text) => (text ?? "").Trim() switch
    {
        "" => null,
        "是" or "Y" or "y" or "1" or "true" or "TRUE" or "流动" => true,
        "否" or "N" or "n" or "0" or "false" or "FALSE" => false,
        _ => throw new FormatException(),
    };

    internal static CsvConfiguration Configuration => new(CultureInfo.InvariantCulture)
    {
        TrimOptions = TrimOptions.Trim,
        BadDataFound = null,
        MissingFieldFound = null,
        IgnoreBlankLines = true,
    };

    /// <summary>UTF-8 with a BOM, so that Excel on Windows shows the Chinese correctly when the file is double-clicked.</summary>
    public static byte[] Write(IEnumerable<MemberRow> rows)
    {
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)))
        using (var csv = new CsvWriter(writer, Configuration))
        {
            foreach (var column in Columns) csv.WriteField(column);
            csv.NextRecord();
            foreach (var r in rows)
            {
                csv.WriteField(r.Name);
                // A number as text: a spreadsheet would otherwise show 1.38E+10.
                csv.WriteField(r.Phone);
                csv.WriteField(r.OrganisationName);
                csv.WriteField(LedgerLabels.Status(r.Status));
                csv.WriteField(r.IsMobile ? "是" : "否");
                csv.WriteField(r.BusinessName ?? "");
                csv.NextRecord();
            }
        }
        return stream.ToArray();
    }

    /// <summary>The downloadable example: the columns and three rows showing each kind of value.</summary>
    public static byte[] Example()
    {
        var text = string.Join("\r\n",
            string.Join(',', Columns),
            "张三,13800001111,青溪商圈党支部,正式党员,否,张三五金店",
            "李四,13900002222,青溪商圈党支部,预备党员,是,",
            "王五,,流动党员中心支部,入党积极分子,是,王五快餐") + "\r\n";
        return [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(text)];
    }
}
