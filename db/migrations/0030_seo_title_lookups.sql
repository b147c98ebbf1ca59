CREATE INDEX "store_pages_connection_title_idx" ON "store_pages" USING btree ("connection_id","title");--> statement-breakpoint
CREATE INDEX "store_products_connection_title_idx" ON "store_products" USING btree ("connection_id","title");--> statement-breakpoint
CREATE INDEX "recommendations_execution_title_idx" ON "recommendations" USING btree ("execution_id","after_value") WHERE field = 'title';