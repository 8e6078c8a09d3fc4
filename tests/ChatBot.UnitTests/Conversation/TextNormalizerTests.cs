using ChatBot.Core.Conversation;

namespace ChatBot.UnitTests.Conversation;

public sealed class TextNormalizerTests
{
    [Theory]
    [InlineData(1)]   // the pre-normalisation cut at 800 lands inside an emoji
    [InlineData(0)]
    public void Normalize_NeverSplitsASurrogatePair_WhenCuttingLongText(int prefix)
    {
        var text = new string('a', prefix) + string.Concat(Enumerable.Repeat("😀", 450));

        var normalized = TextNormalizer.Normalize(text);

        Assert.True(normalized.Length <= TextNormalizer.MaxLength);
        Assert.False(char.IsHighSurrogate(normalized[^1]));
        Assert.Equal(normalized, normalized.Normalize(System.Text.NormalizationForm.FormKC));
    }
}
