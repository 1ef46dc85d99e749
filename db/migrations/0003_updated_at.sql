ALTER TABLE `deals` ADD `updated_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `documents` ADD `updated_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `deals` SET `updated_at` = `created_at`;--> statement-breakpoint
UPDATE `documents` SET `updated_at` = `created_at`;
