CREATE INDEX `documents_company_changed` ON `documents` (`company_id`,`stage_changed_at`);--> statement-breakpoint
CREATE INDEX `documents_company_completed` ON `documents` (`company_id`,`completed_at`,`owner_id`,`sent_at`);--> statement-breakpoint
CREATE INDEX `documents_company_stage_deadline` ON `documents` (`company_id`,`stage`,`deadline_at`);