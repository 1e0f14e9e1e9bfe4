using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Xuncha.Fieldwork.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "announcements",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    intake_code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    opens_on = table.Column<DateOnly>(type: "date", nullable: false),
                    closes_on = table.Column<DateOnly>(type: "date", nullable: false),
                    accepted_scope = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    hotline = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    mailbox = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    postal_address = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    published_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_announcements", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "audit_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    actor_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    action = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    entity_type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    entity_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    before = table.Column<string>(type: "jsonb", nullable: true),
                    after = table.Column<string>(type: "jsonb", nullable: true),
                    reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    client_address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    trace_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_entries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "feedback_records",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    recipients = table.Column<List<string>>(type: "text[]", nullable: false),
                    problem_count = table.Column<int>(type: "integer", nullable: false),
                    plan_due_days = table.Column<int>(type: "integer", nullable: false),
                    delivered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    delivered_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_feedback_records", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "field_activities",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    scheduled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    held_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    conductors = table.Column<List<string>>(type: "text[]", nullable: false),
                    counterpart = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    subject = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    record = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: true),
                    recorded_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_field_activities", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "immediate_rectification_items",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    paper_id = table.Column<Guid>(type: "uuid", nullable: false),
                    notice_number = table.Column<int>(type: "integer", nullable: false),
                    problem = table.Column<string>(type: "character varying(12000)", maxLength: 12000, nullable: false),
                    requirement = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    due_on = table.Column<DateOnly>(type: "date", nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    requested_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_immediate_rectification_items", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "inbox_messages",
                columns: table => new
                {
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    consumer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_inbox_messages", x => new { x.message_id, x.consumer });
                });

            migrationBuilder.CreateTable(
                name: "inspection_groups",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    round_id = table.Column<Guid>(type: "uuid", nullable: false),
                    jurisdiction = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    starts_on = table.Column<DateOnly>(type: "date", nullable: false),
                    ends_on = table.Column<DateOnly>(type: "date", nullable: false),
                    target_ids = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    roster_version = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    members = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_inspection_groups", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "inspection_reports",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    overall_assessment = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    suggestions = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    clue_count = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    review_comment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    reviewed_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    assembled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    submitted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false),
                    problems = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_inspection_reports", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_type = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    traceparent = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox_messages", x => x.sequence);
                });

            migrationBuilder.CreateTable(
                name: "petitions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    receipt_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    category = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    content = table.Column<string>(type: "character varying(5000)", maxLength: 5000, nullable: false),
                    anonymous = table.Column<bool>(type: "boolean", nullable: false),
                    sealed_reporter = table.Column<byte[]>(type: "bytea", nullable: true),
                    fingerprint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    triage = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    forwarded_to = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    reply = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    replied_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_petitions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "round_targets",
                columns: table => new
                {
                    round_id = table.Column<Guid>(type: "uuid", nullable: false),
                    target_id = table.Column<Guid>(type: "uuid", nullable: false),
                    code = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    parent_code = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    jurisdiction_path = table.Column<List<string>>(type: "text[]", nullable: false),
                    directing_path = table.Column<List<string>>(type: "text[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_round_targets", x => new { x.round_id, x.target_id });
                });

            migrationBuilder.CreateTable(
                name: "suggested_problems",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    source_id = table.Column<Guid>(type: "uuid", nullable: false),
                    origin = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    round_id = table.Column<Guid>(type: "uuid", nullable: false),
                    group_id = table.Column<Guid>(type: "uuid", nullable: true),
                    target_id = table.Column<Guid>(type: "uuid", nullable: false),
                    title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    facts = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    amount = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: true),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    dismiss_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    paper_id = table.Column<Guid>(type: "uuid", nullable: true),
                    suggested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_suggested_problems", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "task_items",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    cadence = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    assignee = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    due_on = table.Column<DateOnly>(type: "date", nullable: false),
                    state = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    outcome = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false),
                    carry_overs = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_task_items", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "working_papers",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<int>(type: "integer", nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    source = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    occurred_period = table.Column<string>(type: "text", nullable: true),
                    facts = table.Column<string>(type: "text", nullable: true),
                    figures = table.Column<string>(type: "text", nullable: true),
                    amount = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: true),
                    causes = table.Column<string>(type: "text", nullable: true),
                    nature = table.Column<string>(type: "text", nullable: true),
                    degree = table.Column<string>(type: "text", nullable: true),
                    impact = table.Column<string>(type: "text", nullable: true),
                    policy_basis = table.Column<string>(type: "text", nullable: true),
                    evidence = table.Column<List<string>>(type: "text[]", nullable: false),
                    responsible_person = table.Column<string>(type: "text", nullable: true),
                    involved_persons = table.Column<List<string>>(type: "text[]", nullable: false),
                    standard_item_id = table.Column<Guid>(type: "uuid", nullable: true),
                    suggestion = table.Column<string>(type: "text", nullable: true),
                    suggested_problem_id = table.Column<Guid>(type: "uuid", nullable: true),
                    drafter_subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    drafter_cadre_id = table.Column<Guid>(type: "uuid", nullable: false),
                    drafter_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    return_count = table.Column<int>(type: "integer", nullable: false),
                    disposition = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    finding_id = table.Column<Guid>(type: "uuid", nullable: true),
                    clue_id = table.Column<Guid>(type: "uuid", nullable: true),
                    redacted = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    signed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    disposed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false),
                    sign_offs = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_working_papers", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "workspaces",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    group_id = table.Column<Guid>(type: "uuid", nullable: false),
                    round_id = table.Column<Guid>(type: "uuid", nullable: false),
                    target_id = table.Column<Guid>(type: "uuid", nullable: false),
                    jurisdiction = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    directing_path = table.Column<List<string>>(type: "text[]", nullable: false),
                    target_code = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    target_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    target_kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    target_parent_code = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    target_path = table.Column<List<string>>(type: "text[]", nullable: false),
                    starts_on = table.Column<DateOnly>(type: "date", nullable: false),
                    ends_on = table.Column<DateOnly>(type: "date", nullable: false),
                    opened_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_workspaces", x => x.id);
                    table.ForeignKey(
                        name: "FK_workspaces_inspection_groups_group_id",
                        column: x => x.group_id,
                        principalTable: "inspection_groups",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "petition_attachments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    petition_id = table.Column<Guid>(type: "uuid", nullable: false),
                    file_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    content_type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    length = table.Column<int>(type: "integer", nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_petition_attachments", x => x.id);
                    table.ForeignKey(
                        name: "FK_petition_attachments_petitions_petition_id",
                        column: x => x.petition_id,
                        principalTable: "petitions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_announcements_intake_code",
                table: "announcements",
                column: "intake_code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_announcements_workspace_id",
                table: "announcements",
                column: "workspace_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_entity_type_entity_id",
                table: "audit_entries",
                columns: new[] { "entity_type", "entity_id" });

            migrationBuilder.CreateIndex(
                name: "IX_feedback_records_workspace_id",
                table: "feedback_records",
                column: "workspace_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_field_activities_workspace_id_scheduled_at",
                table: "field_activities",
                columns: new[] { "workspace_id", "scheduled_at" });

            migrationBuilder.CreateIndex(
                name: "IX_immediate_rectification_items_paper_id",
                table: "immediate_rectification_items",
                column: "paper_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_immediate_rectification_items_workspace_id_notice_number",
                table: "immediate_rectification_items",
                columns: new[] { "workspace_id", "notice_number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_inspection_reports_workspace_id",
                table: "inspection_reports",
                column: "workspace_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_message_id",
                table: "outbox_messages",
                column: "message_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_unsent",
                table: "outbox_messages",
                column: "next_attempt_at",
                filter: "sent_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_petition_attachments_petition_id",
                table: "petition_attachments",
                column: "petition_id");

            migrationBuilder.CreateIndex(
                name: "IX_petitions_receipt_code",
                table: "petitions",
                column: "receipt_code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_petitions_workspace_id_fingerprint",
                table: "petitions",
                columns: new[] { "workspace_id", "fingerprint" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_suggested_problems_round_id_target_id",
                table: "suggested_problems",
                columns: new[] { "round_id", "target_id" });

            migrationBuilder.CreateIndex(
                name: "IX_suggested_problems_source_id",
                table: "suggested_problems",
                column: "source_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_task_items_workspace_id_due_on",
                table: "task_items",
                columns: new[] { "workspace_id", "due_on" });

            migrationBuilder.CreateIndex(
                name: "IX_working_papers_workspace_id_number",
                table: "working_papers",
                columns: new[] { "workspace_id", "number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_workspaces_group_id_target_id",
                table: "workspaces",
                columns: new[] { "group_id", "target_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_workspaces_round_id_target_id",
                table: "workspaces",
                columns: new[] { "round_id", "target_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "announcements");

            migrationBuilder.DropTable(
                name: "audit_entries");

            migrationBuilder.DropTable(
                name: "feedback_records");

            migrationBuilder.DropTable(
                name: "field_activities");

            migrationBuilder.DropTable(
                name: "immediate_rectification_items");

            migrationBuilder.DropTable(
                name: "inbox_messages");

            migrationBuilder.DropTable(
                name: "inspection_reports");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "petition_attachments");

            migrationBuilder.DropTable(
                name: "round_targets");

            migrationBuilder.DropTable(
                name: "suggested_problems");

            migrationBuilder.DropTable(
                name: "task_items");

            migrationBuilder.DropTable(
                name: "working_papers");

            migrationBuilder.DropTable(
                name: "workspaces");

            migrationBuilder.DropTable(
                name: "petitions");

            migrationBuilder.DropTable(
                name: "inspection_groups");
        }
    }
}
