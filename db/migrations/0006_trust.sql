CREATE TABLE `signing_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`party_id` text NOT NULL,
	`link_hash` text NOT NULL,
	`browser_hash` text NOT NULL,
	`code_hash` text,
	`expires_at` integer NOT NULL,
	`wrong_tries` integer DEFAULT 0 NOT NULL,
	`confirmed_at` integer,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`party_id`) REFERENCES `parties`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `signing_codes_party_link` ON `signing_codes` (`party_id`,`link_hash`);--> statement-breakpoint
CREATE INDEX `signing_codes_browser` ON `signing_codes` (`browser_hash`);--> statement-breakpoint
ALTER TABLE `audit_events` ADD `seq` integer;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `keyed` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `companies` ADD `audit_event_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `companies` ADD `audit_head` text;--> statement-breakpoint
ALTER TABLE `companies` ADD `audit_head_mac` text;--> statement-breakpoint
ALTER TABLE `companies` ADD `audit_broken_at` integer;--> statement-breakpoint
ALTER TABLE `companies` ADD `audit_problem` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `audit_event_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `documents` ADD `audit_head` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `audit_head_mac` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `audit_broken_at` integer;--> statement-breakpoint
ALTER TABLE `documents` ADD `audit_problem` text;--> statement-breakpoint
ALTER TABLE `outbox_messages` ADD `secrets` text;--> statement-breakpoint
ALTER TABLE `outbox_messages` ADD `purpose` text DEFAULT 'notice' NOT NULL;--> statement-breakpoint
ALTER TABLE `outbox_messages` ADD `ref` text;--> statement-breakpoint
ALTER TABLE `outbox_messages` ADD `redacted_at` integer;--> statement-breakpoint
ALTER TABLE `parties` ADD `link_locked_at` integer;--> statement-breakpoint
ALTER TABLE `parties` DROP COLUMN `code_hash`;--> statement-breakpoint
ALTER TABLE `parties` DROP COLUMN `code_expires_at`;--> statement-breakpoint
ALTER TABLE `parties` DROP COLUMN `code_tries`;