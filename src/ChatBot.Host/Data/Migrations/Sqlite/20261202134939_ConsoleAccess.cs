using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChatBot.Host.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ConsoleAccess : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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

            migrationBuilder.AddColumn<string>(
                name: "SecurityStamp",
                table: "AdminUsers",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_OrganisationPath_At",
                table: "AuditEntries",
                columns: new[] { "OrganisationPath", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_OrganisationPath_At",
                table: "AuditEntries");

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
                name: "SecurityStamp",
                table: "AdminUsers");
        }
    }
}
