using QRCoder;

namespace ChatBot.Host.Members;

/// <summary>
/// The printable binding sheet: per member the name, the code and a QR code of the bind instruction. The QR code is
/// an SVG drawn here (no external service, no script), so it prints on an intranet and passes the CSP.
/// </summary>
public static class BindingSheet
{
    /// <summary>What the member sends to the bot; the QR code carries the same text so a phone can copy it.</summary>
    public static string Instruction(string code) => $"绑定 {code}";

    public static string QrSvg(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data);
        return svg.GetGraphic(4, "#000000", "#ffffff", drawQuietZones: true, sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute);
    }
}
