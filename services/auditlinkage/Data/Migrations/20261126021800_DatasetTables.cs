using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Xuncha.AuditLinkage.Data.Migrations
{
    /// <summary>
    /// The typed dataset tables (see DatasetCatalog), written by binary COPY and read by compiled rules, so they are
    /// plain SQL rather than EF entities. No b-tree indexes: they would slow every import, and rules hash-join whole
    /// versions anyway. Versions are UUIDv7 and each is one contiguous COPY, so a BRIN index finds a version's blocks.
    /// </summary>
    [DbContext(typeof(AuditDb))]
    [Migration("20261126021800_DatasetTables")]
    public partial class DatasetTables : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
            CREATE TABLE ds_subsidy_payments (version_id uuid NOT NULL, line bigint NOT NULL, recipient_id_hash bytea NOT NULL, recipient_id_masked text NOT NULL, recipient_name text NOT NULL, item text NOT NULL, amount numeric(18,2) NOT NULL, paid_on date NOT NULL, unit_code text);
            CREATE INDEX ix_ds_subsidy_payments_version ON ds_subsidy_payments USING brin (version_id);
            CREATE TABLE ds_death_registry (version_id uuid NOT NULL, line bigint NOT NULL, person_id_hash bytea NOT NULL, person_id_masked text NOT NULL, person_name text NOT NULL, died_on date NOT NULL);
            CREATE INDEX ix_ds_death_registry_version ON ds_death_registry USING brin (version_id);
            CREATE TABLE ds_public_employees (version_id uuid NOT NULL, line bigint NOT NULL, person_id_hash bytea NOT NULL, person_id_masked text NOT NULL, person_name text NOT NULL, employer text NOT NULL, position text);
            CREATE INDEX ix_ds_public_employees_version ON ds_public_employees USING brin (version_id);
            CREATE TABLE ds_cadre_relatives (version_id uuid NOT NULL, line bigint NOT NULL, cadre_id_hash bytea NOT NULL, cadre_id_masked text NOT NULL, cadre_name text NOT NULL, cadre_unit text, relative_id_hash bytea NOT NULL, relative_id_masked text NOT NULL, relative_name text NOT NULL, relation text NOT NULL);
            CREATE INDEX ix_ds_cadre_relatives_version ON ds_cadre_relatives USING brin (version_id);
            CREATE TABLE ds_business_registrations (version_id uuid NOT NULL, line bigint NOT NULL, registrant_id_hash bytea NOT NULL, registrant_id_masked text NOT NULL, registrant_name text NOT NULL, business_name text NOT NULL, registered_on date);
            CREATE INDEX ix_ds_business_registrations_version ON ds_business_registrations USING brin (version_id);
            CREATE TABLE ds_payment_ledger (version_id uuid NOT NULL, line bigint NOT NULL, payment_no text NOT NULL, payee text NOT NULL, item text NOT NULL, amount numeric(18,2) NOT NULL, paid_on date NOT NULL, voucher_ref text, unit_code text);
            CREATE INDEX ix_ds_payment_ledger_version ON ds_payment_ledger USING brin (version_id);
            CREATE TABLE ds_fund_disbursements (version_id uuid NOT NULL, line bigint NOT NULL, fund_item text NOT NULL, project text NOT NULL, recipient_unit text, amount numeric(18,2) NOT NULL, received_on date NOT NULL, disbursed_on date);
            CREATE INDEX ix_ds_fund_disbursements_version ON ds_fund_disbursements USING brin (version_id);
            """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
            DROP TABLE ds_subsidy_payments;
            DROP TABLE ds_death_registry;
            DROP TABLE ds_public_employees;
            DROP TABLE ds_cadre_relatives;
            DROP TABLE ds_business_registrations;
            DROP TABLE ds_payment_ledger;
            DROP TABLE ds_fund_disbursements;
            """);
        }
    }
}
