using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChatBot.Host.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Schedules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Deliveries_BroadcastRunId",
                table: "Deliveries");

            migrationBuilder.DropIndex(
                name: "IX_Deliveries_MemberId",
                table: "Deliveries");

            migrationBuilder.RenameColumn(
                name: "LastRunAt",
                table: "RecurringSchedules",
                newName: "LastSlotAt");

            migrationBuilder.AlterColumn<int>(
                name: "OrganisationId",
                table: "RecurringSchedules",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "INTEGER");

            migrationBuilder.AddColumn<DateTime>(
                name: "UpdatedAt",
                table: "RecurringSchedules",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<DateTime>(
                name: "ClaimedAt",
                table: "Deliveries",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ClaimedBy",
                table: "Deliveries",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Audience",
                table: "Broadcasts",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateTime>(
                name: "ConfirmedAt",
                table: "Broadcasts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Cron",
                table: "Broadcasts",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "MassSend",
                table: "Broadcasts",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "UpdatedAt",
                table: "Broadcasts",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<bool>(
                name: "Urgent",
                table: "Broadcasts",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "EnqueuedAt",
                table: "BroadcastRuns",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ResendOfRunId",
                table: "BroadcastRuns",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "SlotAt",
                table: "BroadcastRuns",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<string>(
                name: "Snapshot",
                table: "BroadcastRuns",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<bool>(
                name: "Urgent",
                table: "BroadcastRuns",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "After",
                table: "AuditEntries",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Before",
                table: "AuditEntries",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OrganisationPath",
                table: "AuditEntries",
                type: "TEXT",
                maxLength: 400,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "FailedSignIns",
                table: "AdminUsers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastSignInAt",
                table: "AdminUsers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LockedUntil",
                table: "AdminUsers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MemberId",
                table: "AdminUsers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SecurityStamp",
                table: "AdminUsers",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "LessonSeriesPositions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MemberId = table.Column<int>(type: "INTEGER", nullable: false),
                    Series = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    LastContentItemId = table.Column<int>(type: "INTEGER", nullable: false),
                    LastSlotAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LessonSeriesPositions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LessonSeriesPositions_ContentItems_LastContentItemId",
                        column: x => x.LastContentItemId,
                        principalTable: "ContentItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_LessonSeriesPositions_Members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "Members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ScheduleRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ScheduleId = table.Column<int>(type: "INTEGER", nullable: false),
                    SlotAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RunKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Trigger = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Report = table.Column<string>(type: "TEXT", maxLength: 16000, nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScheduleRuns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ScheduleRuns_RecurringSchedules_ScheduleId",
                        column: x => x.ScheduleId,
                        principalTable: "RecurringSchedules",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "UnansweredQuestions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Question = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    OrganisationId = table.Column<int>(type: "INTEGER", nullable: true),
                    MemberId = table.Column<int>(type: "INTEGER", nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Offered = table.Column<string>(type: "TEXT", maxLength: 600, nullable: false),
                    HumanRequested = table.Column<bool>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    AskedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ResolvedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ResolvedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UnansweredQuestions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_UnansweredQuestions_Members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "Members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_UnansweredQuestions_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RecurringSchedules_Kind_OrganisationId",
                table: "RecurringSchedules",
                columns: new[] { "Kind", "OrganisationId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Deliveries_BroadcastRunId_Status",
                table: "Deliveries",
                columns: new[] { "BroadcastRunId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Deliveries_MemberId_CreatedAt",
                table: "Deliveries",
                columns: new[] { "MemberId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_BroadcastRuns_ResendOfRunId",
                table: "BroadcastRuns",
                column: "ResendOfRunId");

            migrationBuilder.CreateIndex(
                name: "IX_BroadcastRuns_Status_EnqueuedAt",
                table: "BroadcastRuns",
                columns: new[] { "Status", "EnqueuedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_OrganisationPath_At",
                table: "AuditEntries",
                columns: new[] { "OrganisationPath", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_AdminUsers_MemberId",
                table: "AdminUsers",
                column: "MemberId");

            migrationBuilder.CreateIndex(
                name: "IX_LessonSeriesPositions_LastContentItemId",
                table: "LessonSeriesPositions",
                column: "LastContentItemId");

            migrationBuilder.CreateIndex(
                name: "IX_LessonSeriesPositions_MemberId_Series",
                table: "LessonSeriesPositions",
                columns: new[] { "MemberId", "Series" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ScheduleRuns_RunKey",
                table: "ScheduleRuns",
                column: "RunKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ScheduleRuns_ScheduleId_SlotAt",
                table: "ScheduleRuns",
                columns: new[] { "ScheduleId", "SlotAt" });

            migrationBuilder.CreateIndex(
                name: "IX_UnansweredQuestions_MemberId",
                table: "UnansweredQuestions",
                column: "MemberId");

            migrationBuilder.CreateIndex(
                name: "IX_UnansweredQuestions_OrganisationId",
                table: "UnansweredQuestions",
                column: "OrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_UnansweredQuestions_Status_AskedAt",
                table: "UnansweredQuestions",
                columns: new[] { "Status", "AskedAt" });

            migrationBuilder.AddForeignKey(
                name: "FK_AdminUsers_Members_MemberId",
                table: "AdminUsers",
                column: "MemberId",
                principalTable: "Members",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "FK_BroadcastRuns_BroadcastRuns_ResendOfRunId",
                table: "BroadcastRuns",
                column: "ResendOfRunId",
                principalTable: "BroadcastRuns",
                principalColumn: "Id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_AdminUsers_Members_MemberId",
                table: "AdminUsers");

            migrationBuilder.DropForeignKey(
                name: "FK_BroadcastRuns_BroadcastRuns_ResendOfRunId",
                table: "BroadcastRuns");

            migrationBuilder.DropTable(
                name: "LessonSeriesPositions");

            migrationBuilder.DropTable(
                name: "ScheduleRuns");

            migrationBuilder.DropTable(
                name: "UnansweredQuestions");

            migrationBuilder.DropIndex(
                name: "IX_RecurringSchedules_Kind_OrganisationId",
                table: "RecurringSchedules");

            migrationBuilder.DropIndex(
                name: "IX_Deliveries_BroadcastRunId_Status",
                table: "Deliveries");

            migrationBuilder.DropIndex(
                name: "IX_Deliveries_MemberId_CreatedAt",
                table: "Deliveries");

            migrationBuilder.DropIndex(
                name: "IX_BroadcastRuns_ResendOfRunId",
                table: "BroadcastRuns");

            migrationBuilder.DropIndex(
                name: "IX_BroadcastRuns_Status_EnqueuedAt",
                table: "BroadcastRuns");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_OrganisationPath_At",
                table: "AuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_AdminUsers_MemberId",
                table: "AdminUsers");

            migrationBuilder.DropColumn(
                name: "UpdatedAt",
                table: "RecurringSchedules");

            migrationBuilder.DropColumn(
                name: "ClaimedAt",
                table: "Deliveries");

            migrationBuilder.DropColumn(
                name: "ClaimedBy",
                table: "Deliveries");

            migrationBuilder.DropColumn(
                name: "Audience",
                table: "Broadcasts");

            migrationBuilder.DropColumn(
                name: "ConfirmedAt",
                table: "Broadcasts");

            migrationBuilder.DropColumn(
                name: "Cron",
                table: "Broadcasts");

            migrationBuilder.DropColumn(
                name: "MassSend",
                table: "Broadcasts");

            migrationBuilder.DropColumn(
                name: "UpdatedAt",
                table: "Broadcasts");

            migrationBuilder.DropColumn(
                name: "Urgent",
                table: "Broadcasts");

            migrationBuilder.DropColumn(
                name: "EnqueuedAt",
                table: "BroadcastRuns");

            migrationBuilder.DropColumn(
                name: "ResendOfRunId",
                table: "BroadcastRuns");

            migrationBuilder.DropColumn(
                name: "SlotAt",
                table: "BroadcastRuns");

            migrationBuilder.DropColumn(
                name: "Snapshot",
                table: "BroadcastRuns");

            migrationBuilder.DropColumn(
                name: "Urgent",
                table: "BroadcastRuns");

            migrationBuilder.DropColumn(
                name: "After",
                table: "AuditEntries");

            migrationBuilder.DropColumn(
                name: "Before",
                table: "AuditEntries");

            migrationBuilder.DropColumn(
                name: "OrganisationPath",
                table: "AuditEntries");

            migrationBuilder.DropColumn(
                name: "FailedSignIns",
                table: "AdminUsers");

            migrationBuilder.DropColumn(
                name: "LastSignInAt",
                table: "AdminUsers");

            migrationBuilder.DropColumn(
                name: "LockedUntil",
                table: "AdminUsers");

            migrationBuilder.DropColumn(
                name: "MemberId",
                table: "AdminUsers");

            migrationBuilder.DropColumn(
                name: "SecurityStamp",
                table: "AdminUsers");

            migrationBuilder.RenameColumn(
                name: "LastSlotAt",
                table: "RecurringSchedules",
                newName: "LastRunAt");

            migrationBuilder.AlterColumn<int>(
                name: "OrganisationId",
                table: "RecurringSchedules",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "INTEGER",
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Deliveries_BroadcastRunId",
                table: "Deliveries",
                column: "BroadcastRunId");

            migrationBuilder.CreateIndex(
                name: "IX_Deliveries_MemberId",
                table: "Deliveries",
                column: "MemberId");
        }
    }
}
