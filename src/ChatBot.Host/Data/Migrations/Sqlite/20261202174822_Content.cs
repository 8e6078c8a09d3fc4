using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChatBot.Host.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Content : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CorrectOptions",
                table: "QuizQuestions",
                type: "TEXT",
                maxLength: 4,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "QuizQuestions",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "Single");

            // Keep every existing answer: the one right letter becomes the set of right letters.
            migrationBuilder.Sql("UPDATE \"QuizQuestions\" SET \"CorrectOptions\" = TRIM(\"CorrectOption\")");

            migrationBuilder.DropColumn(
                name: "CorrectOption",
                table: "QuizQuestions");

            migrationBuilder.AddColumn<DateTime>(
                name: "ArchivedAt",
                table: "ContentItems",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ArchivedBy",
                table: "ContentItems",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AuthorName",
                table: "ContentItems",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LastEditedBy",
                table: "ContentItems",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReviewComment",
                table: "ContentItems",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ReviewedAt",
                table: "ContentItems",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReviewedBy",
                table: "ContentItems",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "SubmittedAt",
                table: "ContentItems",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SubmittedBy",
                table: "ContentItems",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Tags",
                table: "ContentItems",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "ContentAttachments",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ContentItemId = table.Column<int>(type: "INTEGER", nullable: false),
                    Order = table.Column<int>(type: "INTEGER", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Url = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ContentAttachments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ContentAttachments_ContentItems_ContentItemId",
                        column: x => x.ContentItemId,
                        principalTable: "ContentItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ContentAttachments_ContentItemId_Order",
                table: "ContentAttachments",
                columns: new[] { "ContentItemId", "Order" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ContentAttachments");

            migrationBuilder.DropColumn(
                name: "CorrectOptions",
                table: "QuizQuestions");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "QuizQuestions");

            migrationBuilder.DropColumn(
                name: "ArchivedAt",
                table: "ContentItems");

            migrationBuilder.DropColumn(
                name: "ArchivedBy",
                table: "ContentItems");

            migrationBuilder.DropColumn(
                name: "AuthorName",
                table: "ContentItems");

            migrationBuilder.DropColumn(
                name: "LastEditedBy",
                table: "ContentItems");

            migrationBuilder.DropColumn(
                name: "ReviewComment",
                table: "ContentItems");

            migrationBuilder.DropColumn(
                name: "ReviewedAt",
                table: "ContentItems");

            migrationBuilder.DropColumn(
                name: "ReviewedBy",
                table: "ContentItems");

            migrationBuilder.DropColumn(
                name: "SubmittedAt",
                table: "ContentItems");

            migrationBuilder.DropColumn(
                name: "SubmittedBy",
                table: "ContentItems");

            migrationBuilder.DropColumn(
                name: "Tags",
                table: "ContentItems");

            migrationBuilder.AddColumn<string>(
                name: "CorrectOption",
                table: "QuizQuestions",
                type: "TEXT",
                fixedLength: true,
                maxLength: 1,
                nullable: false,
                defaultValue: "");
        }
    }
}
