namespace Xuncha.AuditLinkage.Datasets;

public enum ColumnType
{
    Text,
    /// <summary>居民身份证号: stored only as a keyed hash (for matching) and a masked form (for reading).</summary>
    IdNumber,
    Date,
    Money,
}

/// <summary>One typed column; <paramref name="Label"/> is the Chinese header a data provider's file carries.</summary>
public sealed record DatasetColumn(string Name, ColumnType Type, bool Required, string Label)
{
    /// <summary>Columns in the table: an identity number becomes its hash and its masked form.</summary>
    public IEnumerable<string> StoredColumns => Type == ColumnType.IdNumber ? [HashColumn, MaskedColumn] : [Name];
    public string HashColumn => Name + "_hash";
    public string MaskedColumn => Name + "_masked";
}

public sealed record DatasetKind(string Code, string Label, string Table, IReadOnlyList<DatasetColumn> Columns)
{
    public DatasetColumn? Column(string name) => Columns.FirstOrDefault(c => c.Name == name);

    /// <summary>The table's columns in their order: the version, the source line, then each catalogue column as stored.</summary>
    public IEnumerable<string> StoredColumns => ["version_id", "line", .. Columns.SelectMany(c => c.StoredColumns)];

    /// <summary>The partition holding one version's rows (see the DatasetVersionPartitions migration).</summary>
    public string PartitionFor(Guid versionId) => $"{Table}_{versionId:N}";
}

/// <summary>
/// The datasets the comparison rules collide (大数据比对). Each kind has its own typed table (see the DatasetTables
/// migration), one row per source row, tagged with the immutable dataset version it was imported in.
/// </summary>
public static class DatasetCatalog
{
    public static readonly DatasetKind SubsidyPayments = new("subsidy-payments", "惠民惠农补贴发放", "ds_subsidy_payments",
    [
        new("recipient_id", ColumnType.IdNumber, true, "身份证号"),
        new("recipient_name", ColumnType.Text, true, "姓名"),
        new("item", ColumnType.Text, true, "补贴项目"),
        new("amount", ColumnType.Money, true, "金额"),
        new("paid_on", ColumnType.Date, true, "发放日期"),
        new("unit_code", ColumnType.Text, false, "村（单位）代码"),
    ]);

    public static readonly DatasetKind DeathRegistry = new("death-registry", "死亡人口登记", "ds_death_registry",
    [
        new("person_id", ColumnType.IdNumber, true, "身份证号"),
        new("person_name", ColumnType.Text, true, "姓名"),
        new("died_on", ColumnType.Date, true, "死亡日期"),
    ]);

    public static readonly DatasetKind PublicEmployees = new("public-employees", "财政供养人员", "ds_public_employees",
    [
        new("person_id", ColumnType.IdNumber, true, "身份证号"),
        new("person_name", ColumnType.Text, true, "姓名"),
        new("employer", ColumnType.Text, true, "工作单位"),
        new("position", ColumnType.Text, false, "职务"),
    ]);

    public static readonly DatasetKind CadreRelatives = new("cadre-relatives", "干部及申报亲属", "ds_cadre_relatives",
    [
        new("cadre_id", ColumnType.IdNumber, true, "干部身份证号"),
        new("cadre_name", ColumnType.Text, true, "干部姓名"),
        new("cadre_unit", ColumnType.Text, false, "干部单位"),
        new("relative_id", ColumnType.IdNumber, true, "亲属身份证号"),
        new("relative_name", ColumnType.Text, true, "亲属姓名"),
        new("relation", ColumnType.Text, true, "关系"),
    ]);

    public static readonly DatasetKind BusinessRegistrations = new("business-registrations", "市场主体登记", "ds_business_registrations",
    [
        new("registrant_id", ColumnType.IdNumber, true, "身份证号"),
        new("registrant_name", ColumnType.Text, true, "姓名"),
        new("business_name", ColumnType.Text, true, "市场主体名称"),
        new("registered_on", ColumnType.Date, false, "登记日期"),
    ]);

    public static readonly DatasetKind PaymentLedger = new("payment-ledger", "财务支付台账", "ds_payment_ledger",
    [
        new("payment_no", ColumnType.Text, true, "支付编号"),
        new("payee", ColumnType.Text, true, "收款方"),
        new("item", ColumnType.Text, true, "支付事项"),
        new("amount", ColumnType.Money, true, "金额"),
        new("paid_on", ColumnType.Date, true, "支付日期"),
        new("voucher_ref", ColumnType.Text, false, "凭证号"),
        new("unit_code", ColumnType.Text, false, "单位代码"),
    ]);

    public static readonly DatasetKind FundDisbursements = new("fund-disbursements", "专项资金拨付", "ds_fund_disbursements",
    [
        new("fund_item", ColumnType.Text, true, "资金项目"),
        new("project", ColumnType.Text, true, "项目名称"),
        new("recipient_unit", ColumnType.Text, false, "拨付对象"),
        new("amount", ColumnType.Money, true, "金额"),
        new("received_on", ColumnType.Date, true, "资金到位日期"),
        new("disbursed_on", ColumnType.Date, false, "拨付日期"),
    ]);

    public static readonly IReadOnlyList<DatasetKind> All =
        [SubsidyPayments, DeathRegistry, PublicEmployees, CadreRelatives, BusinessRegistrations, PaymentLedger, FundDisbursements];

    public static DatasetKind? Find(string code) => All.FirstOrDefault(k => k.Code == code);
}
