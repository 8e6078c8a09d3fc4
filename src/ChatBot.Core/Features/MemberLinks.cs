namespace ChatBot.Core.Features;

/// <summary>Signed, expiring links to the member pages, so a member opens them from chat without logging in.
/// Each link is for one member and one page; 解绑 revokes every link issued before it.</summary>
public interface IMemberLinks
{
    string Lesson(int memberId, int lessonId);

    string Activity(int memberId, int activityId);

    /// <summary>我的学习任务.</summary>
    string Tasks(int memberId);

    /// <summary>我的积分.</summary>
    string Points(int memberId);

    string Policy(int contentItemId);
}
