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

            migrationBuilder.AddColumn<int>(
                name: "MemberId",
                table: "AdminUsers",
                type: "INTEGER",
                nullable: true);

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

            migrationBuilder.CreateIndex(
                name: "IX_RecurringSchedules_Kind_OrganisationId",
                table: "RecurringSchedules",
                columns: new[] { "Kind", "OrganisationId" },
                unique: true);

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

            migrationBuilder.AddForeignKey(
                name: "FK_AdminUsers_Members_MemberId",
                table: "AdminUsers",
                column: "MemberId",
                principalTable: "Members",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_AdminUsers_Members_MemberId",
                table: "AdminUsers");

            migrationBuilder.DropTable(
                name: "LessonSeriesPositions");

            migrationBuilder.DropTable(
                name: "ScheduleRuns");

            migrationBuilder.DropIndex(
                name: "IX_RecurringSchedules_Kind_OrganisationId",
                table: "RecurringSchedules");

            migrationBuilder.DropIndex(
                name: "IX_AdminUsers_MemberId",
                table: "AdminUsers");

            migrationBuilder.DropColumn(
                name: "UpdatedAt",
                table: "RecurringSchedules");

            migrationBuilder.DropColumn(
                name: "MemberId",
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
        }
    }
}
