using System.Globalization;
using System.Text;
using ChatBot.Core.Conversation;
using ChatBot.Core.Domain;
using ChatBot.Host.Members;
using CsvHelper;
using QRCoder;

namespace ChatBot.Host.Activities;

/// <summary>
/// 报名与签到名单 as CSV for Excel: UTF-8 with a BOM by default (Excel on Windows shows the Chinese), or GBK for older
/// spreadsheets (<c>?encoding=gbk</c>), as the member export. One row per sign-up: places by seat, then the waitlist in
/// order, then cancelled ones. Phones as the admin's scope shows them.
/// </summary>
public static class ActivityCsv
{
    public static readonly IReadOnlyList<string> Columns = ["序号", "状态", "候补顺位", "姓名", "手机号", "所在支部", "报名时间", "签到时间"];

    public static string StatusLabel(SignUpStatus status) => status switch
    {
        SignUpStatus.Registered => "已报名",
        SignUpStatus.Waitlisted => "候补",
        SignUpStatus.Cancelled => "已取消",
        SignUpStatus.CheckedIn => "已签到",
        SignUpStatus.NoShow => "缺席",
        _ => status.ToString(),
    };

    public static byte[] Write(ActivityDetail detail, DisplayTime display, bool gbk)
    {
        using var stream = new MemoryStream();
        var encoding = gbk ? MemberCsv.Gbk : new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);
        using (var writer = new StreamWriter(stream, encoding))
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
        {
            foreach (var column in Columns) csv.WriteField(column);
            csv.NextRecord();
            var n = 0;
            foreach (var r in detail.Places.Concat(detail.Waitlist).Concat(detail.Others))
            {
                csv.WriteField(++n);
                csv.WriteField(StatusLabel(r.Status));
                csv.WriteField(r.Status == SignUpStatus.Waitlisted ? r.Position.ToString(CultureInfo.InvariantCulture) : "");
                csv.WriteField(r.MemberName);
                csv.WriteField(r.Phone);
                csv.WriteField(r.Branch);
                csv.WriteField(display.ToLocal(r.SignedUpAt).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
                csv.WriteField(r.CheckedInAt is { } at ? display.ToLocal(at).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "");
                csv.NextRecord();
            }
        }
        return stream.ToArray();
    }
}

/// <summary>QR codes drawn on the server as SVG (no external service, no script: prints on an intranet, passes the CSP).</summary>
public static class CheckInQr
{
    public static string Svg(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(8, "#000000", "#ffffff", drawQuietZones: true, sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute);
    }
}
