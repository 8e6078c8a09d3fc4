namespace ChatBot.Core.Features;

/// <summary>Signed, expiring links to the member pages, so a member opens them from chat without logging in.</summary>
public interface IMemberLinks
{
    string Lesson(int memberId, int lessonId);

    string Policy(int contentItemId);
}
