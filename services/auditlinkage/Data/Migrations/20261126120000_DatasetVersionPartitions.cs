using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Xuncha.AuditLinkage.Data.Migrations
{
    /// <summary>
    /// Each dataset table becomes a table partitioned by version, one partition per import (named by DatasetKind.PartitionFor).
    /// A version is immutable and always read whole, so its own partition replaces the BRIN index: a rule's
    /// version_id = $n prunes to it, and an import fills a fresh table — no index to maintain, rows written frozen
    /// (COPY FREEZE). Rows already imported move to their versions' partitions.
    /// </summary>
    [DbContext(typeof(AuditDb))]
    [Migration("20261126120000_DatasetVersionPartitions")]
    public partial class DatasetVersionPartitions : Migration
    {
        private const string Tables = "ARRAY['ds_subsidy_payments', 'ds_death_registry', 'ds_public_employees', 'ds_cadre_relatives', " +
            "'ds_business_registrations', 'ds_payment_ledger', 'ds_fund_disbursements']";

        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($$"""
            DO $$
            DECLARE t text; v uuid;
            BEGIN
              FOREACH t IN ARRAY {{Tables}} LOOP
                EXECUTE format('ALTER TABLE %I RENAME TO %I', t, t || '_unpartitioned');
                EXECUTE format('CREATE TABLE %I (LIKE %I) PARTITION BY LIST (version_id)', t, t || '_unpartitioned');
                FOR v IN EXECUTE format('SELECT DISTINCT version_id FROM %I', t || '_unpartitioned') LOOP
                  EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES IN (%L)', t || '_' || replace(v::text, '-', ''), t, v);
                  EXECUTE format('INSERT INTO %I SELECT * FROM %I WHERE version_id = %L', t, t || '_unpartitioned', v);
                END LOOP;
                EXECUTE format('DROP TABLE %I', t || '_unpartitioned');
              END LOOP;
            END $$;
            """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($$"""
            DO $$
            DECLARE t text;
            BEGIN
              FOREACH t IN ARRAY {{Tables}} LOOP
                EXECUTE format('CREATE TABLE %I (LIKE %I)', t || '_plain', t);
                EXECUTE format('INSERT INTO %I SELECT * FROM %I', t || '_plain', t);
                EXECUTE format('DROP TABLE %I', t);
                EXECUTE format('ALTER TABLE %I RENAME TO %I', t || '_plain', t);
                EXECUTE format('CREATE INDEX %I ON %I USING brin (version_id)', 'ix_' || t || '_version', t);
              END LOOP;
            END $$;
            """);
        }
    }
}
