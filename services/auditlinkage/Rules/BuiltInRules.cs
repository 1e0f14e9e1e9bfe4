namespace Xuncha.AuditLinkage.Rules;

/// <summary>The library's first versions: the collisions the source articles name (seeds 000, 002, 003).</summary>
public static class BuiltInRules
{
    public static readonly IReadOnlyList<(string Code, string Name, RuleDefinition Definition)> All =
    [
        ("subsidy-after-death", "补贴对象死亡后仍在发放", new RuleDefinition
        {
            Dataset = "subsidy-payments",
            AnyOf = [new RuleCollision
            {
                Dataset = "death-registry",
                On = [new JoinKey("recipient_id", "person_id")],
                Where = [new RuleCondition { Column = "a.paid_on", Op = "gt", OtherColumn = "b.died_on" }],
            }],
            AmountColumn = "amount",
            Summary = "{a.recipient_name}（{a.recipient_id}）已于{b.died_on}死亡，{a.paid_on}仍发放{a.item}{a.amount}元",
        }),
        ("subsidy-to-insider", "财政供养人员或干部亲属领取补贴", new RuleDefinition
        {
            Dataset = "subsidy-payments",
            AnyOf =
            [
                new RuleCollision
                {
                    Dataset = "public-employees",
                    On = [new JoinKey("recipient_id", "person_id")],
                    Summary = "财政供养人员{a.recipient_name}（{b.employer}）于{a.paid_on}领取{a.item}{a.amount}元",
                },
                new RuleCollision
                {
                    Dataset = "cadre-relatives",
                    On = [new JoinKey("recipient_id", "relative_id")],
                    Summary = "{b.cadre_name}（{b.cadre_unit}）申报的亲属{a.recipient_name}（{b.relation}）于{a.paid_on}领取{a.item}{a.amount}元",
                },
            ],
            AmountColumn = "amount",
            Summary = "{a.recipient_name}领取{a.item}{a.amount}元",
        }),
        ("large-payment-without-voucher", "5万元以上支出无原始凭证", new RuleDefinition
        {
            Dataset = "payment-ledger",
            Where =
            [
                new RuleCondition { Column = "a.amount", Op = "gte", Value = 50_000m },
                new RuleCondition { Column = "a.voucher_ref", Op = "blank" },
            ],
            AmountColumn = "amount",
            Summary = "{a.paid_on}向{a.payee}支付{a.item}{a.amount}元（编号{a.payment_no}），无凭证号",
        }),
        ("late-aid-disbursement", "帮扶资金超过规定工作日未拨付", new RuleDefinition
        {
            Dataset = "fund-disbursements",
            Where = [new RuleCondition { Column = "a.received_on", Op = "workingDaysOver", OtherColumn = "a.disbursed_on", Value = 15 }],
            AmountColumn = "amount",
            Summary = "{a.fund_item}·{a.project}资金{a.received_on}到位，{a.disbursed_on}才拨付{a.amount}元，超过15个工作日",
        }),
        ("duplicate-payment", "同一事项重复支付", new RuleDefinition
        {
            Dataset = "payment-ledger",
            DuplicateOn = ["payee", "item", "amount"],
            AmountColumn = "amount",
            Summary = "向{a.payee}就{a.item}重复支付{count}次，每次{a.amount}元",
        }),
    ];
}
