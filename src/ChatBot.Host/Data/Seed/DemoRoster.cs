using ChatBot.Core.Domain;

namespace ChatBot.Host.Data.Seed;

/// <summary>The made-up committee of the demo: branches of every kind seen in 小个专 work and their members.</summary>
internal static class DemoRoster
{
    public const string CommitteeName = "青溪区个体私营经济党委";

    public sealed record DemoBranch(string Key, string Name, OrganisationKind Kind, IReadOnlyList<DemoMember> Members);

    public sealed record DemoMember(string Name, MemberStatus Status, string? BusinessName, string Phone, bool IsMobile = false);

    public static readonly IReadOnlyList<DemoBranch> Branches =
    [
        new("market", "青溪小商品市场商圈党支部", OrganisationKind.MarketBranch,
        [
            new("王建华", MemberStatus.Full, "建华五金店", "13905710231"),
            new("李秀英", MemberStatus.Full, "秀英布艺摊", "13905710232"),
            new("张国强", MemberStatus.Full, "国强日杂批发部", "13905710233"),
            new("刘美玲", MemberStatus.Probationary, "美玲饰品店", "13905710234"),
            new("陈志明", MemberStatus.Full, "志明文具批发", "13905710235"),
            new("杨丽娟", MemberStatus.Activist, "丽娟童装档口", "13905710236"),
            new("赵德胜", MemberStatus.Full, "德胜茶叶行", "13905710237"),
            new("黄晓燕", MemberStatus.Full, "晓燕鞋帽摊位", "13905710238"),
        ]),
        new("association", "青溪区个私协会城南分会党支部", OrganisationKind.AssociationBranch,
        [
            new("周文斌", MemberStatus.Full, "文斌家电维修部", "13857120411"),
            new("吴春梅", MemberStatus.Full, "春梅便利店", "13857120412"),
            new("徐海涛", MemberStatus.Probationary, "海涛汽车美容店", "13857120413"),
            new("孙桂兰", MemberStatus.Full, "桂兰裁缝铺", "13857120414"),
            new("马俊杰", MemberStatus.Activist, "俊杰手机维修", "13857120415"),
            new("朱玉珍", MemberStatus.Full, "玉珍水果店", "13857120416"),
        ]),
        new("joint", "青溪区餐饮小微企业联建党支部", OrganisationKind.JointBranch,
        [
            new("胡卫东", MemberStatus.Full, "卫东面馆", "13758190521"),
            new("郭秀珍", MemberStatus.Full, "郭记小笼包", "13758190522"),
            new("何志刚", MemberStatus.Full, "何家土菜馆", "13758190523"),
            new("高丽华", MemberStatus.Probationary, "丽华烘焙坊", "13758190524"),
            new("林建军", MemberStatus.Full, "林记快餐", "13758190525"),
            new("罗晓峰", MemberStatus.Activist, "晓峰奶茶铺", "13758190526"),
        ]),
        new("enterprise", "青溪明达电子商务有限公司党支部", OrganisationKind.EnterpriseBranch,
        [
            new("梁振宇", MemberStatus.Full, "明达电子商务有限公司", "13656780631"),
            new("宋雅琴", MemberStatus.Full, "明达电子商务有限公司", "13656780632"),
            new("郑浩然", MemberStatus.Probationary, "明达电子商务有限公司", "13656780633"),
            new("谢思远", MemberStatus.Activist, "明达电子商务有限公司", "13656780634"),
        ]),
        new("central", "青溪区个私党委中心支部", OrganisationKind.CentralBranch,
        [
            new("韩立新", MemberStatus.Full, "立新货运（流动经营）", "13567890741", IsMobile: true),
            new("唐红梅", MemberStatus.Full, "红梅服装（外地市场摊位）", "13567890742", IsMobile: true),
            new("冯永福", MemberStatus.Full, "永福农产品贩销", "13567890743", IsMobile: true),
            new("董建平", MemberStatus.Probationary, "建平装修队", "13567890744", IsMobile: true),
            new("曹金凤", MemberStatus.Full, "金凤家政服务部", "13567890745"),
            new("彭志远", MemberStatus.Full, null, "13567890746", IsMobile: true),
        ]),
    ];

    public sealed record DemoRule(string Code, string Name, int Points, int? DailyCap, bool NeedsApproval = false);

    public static readonly IReadOnlyList<DemoRule> PointsRules =
    [
        new(PointsRuleCodes.LessonRead, "学习微党课", 1, 2),
        new(PointsRuleCodes.QuizPassed, "答题通过", 2, 4),
        new(PointsRuleCodes.TaskCompleted, "完成学习任务", 5, null),
        new(PointsRuleCodes.ActivityCheckIn, "参加组织生活签到", 3, null),
        new(PointsRuleCodes.Volunteer, "参加志愿服务", 5, null, NeedsApproval: true),
        new(PointsRuleCodes.UnexcusedAbsence, "无故缺席组织生活", -5, null),
        new(PointsRuleCodes.TaskOverdue, "学习任务逾期未完成", -2, null),
    ];
}
