CREATE TABLE "execution_search" (
	"execution_id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"document" "tsvector" NOT NULL
);
--> statement-breakpoint
ALTER TABLE "execution_search" ADD CONSTRAINT "execution_search_execution_id_executions_id_fk" FOREIGN KEY ("execution_id") REFERENCES "public"."executions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "execution_search_document_idx" ON "execution_search" USING gin ("document");--> statement-breakpoint
-- Search folds text the same way wherever it is written or asked for: lower case (also where
-- the database locale is C, which lower() leaves alone beyond ASCII), accents dropped.
CREATE FUNCTION runlog_search_fold(body text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT translate(lower(body), 'ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĐĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĦĨĩĪīĬĭĮįİĲĴĵĶķĹĺĻļĽľĿŁŃńŅņŇňŊŌōŎŏŐőŒŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŦŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƁƂƄƆƇƉƊƋƎƏƐƑƓƔƖƗƘƜƝƟƠơƢƤƦƧƩƬƮƯưƱƲƳƵƷƸƼǄǅǇǈǊǋǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǢǣǤǦǧǨǩǪǫǬǭǮǯǰǱǲǴǵǶǷǸǹǺǻǼǽǾǿȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȜȞȟȠȢȤȦȧȨȩȪȫȬȭȮȯȰȱȲȳȺȻȽȾɁɃɄɅɆɈɊɌɎͰͲʹͶͿΆΈΉΊΌΎΏΐΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩΪΫάέήίΰϊϋόύώϏϓϔϘϚϜϞϠϢϤϦϨϪϬϮϴϷϹϺϽϾϿЀЁЂЃЄЅІЇЈЉЊЋЌЍЎЏАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯйѐёѓїќѝўѠѢѤѦѨѪѬѮѰѲѴѶѷѸѺѼѾҀҊҌҎҐҒҔҖҘҚҜҞҠҢҤҦҨҪҬҮҰҲҴҶҸҺҼҾӀӁӂӃӅӇӉӋӍӐӑӒӓӔӖӗӘӚӛӜӝӞӟӠӢӣӤӥӦӧӨӪӫӬӭӮӯӰӱӲӳӴӵӶӸӹӺӼӾḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨṩṪṫṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẛẞẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹỺỼỾ', 'aaaaaaæceeeeiiiiðnoooooøuuuuyþaaaaaaceeeeiiiinooooouuuuyyaaaaaaccccccccddđeeeeeeeeeegggggggghhħiiiiiiiiiĳjjkkllllllŀłnnnnnnŋooooooœrrrrrrssssssssttttŧuuuuuuuuuuuuwwyyyzzzzzzɓƃƅɔƈɖɗƌǝəɛƒɠɣɩɨƙɯɲɵooƣƥʀƨʃƭʈuuʊʋƴƶʒƹƽǆǆǉǉǌǌaaiioouuuuuuuuuuaaaaææǥggkkooooʒʒjǳǳggƕƿnnaaææøøaaaaeeeeiiiioooorrrruuuussttȝhhƞȣȥaaeeooooooooyyⱥȼƚⱦɂƀʉʌɇɉɋɍɏͱͳʹͷϳαεηιουωιαβγδεζηθικλμνξοπρστυφχψωιυαεηιυιυουωϗϒϒϙϛϝϟϡϣϥϧϩϫϭϯθϸϲϻͻͼͽееђгєѕііјљњћкиуџабвгдежзииклмнопрстуфхцчшщъыьэюяиеегікиуѡѣѥѧѩѫѭѯѱѳѵѵѵѹѻѽѿҁҋҍҏґғҕҗҙқҝҟҡңҥҧҩҫҭүұҳҵҷҹһҽҿӏжжӄӆӈӊӌӎааааӕееәәәжжззӡииииооөөөээууууууччӷыыӻӽӿaabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwyſßaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyyỻỽỿ')
$$;--> statement-breakpoint
-- The words of a text as search terms: runs of letters and digits, each as written (no stemming,
-- so no language is favoured), and Chinese, Japanese and Korean text, which has no spaces, as
-- overlapping pairs of characters (and its last character alone), so any two or more
-- characters of it are found. Words over 64 characters (encoded data) are left out.
CREATE FUNCTION runlog_search_terms(body text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT term), '{}') FROM (
    SELECT CASE WHEN m[1] ~ '^[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]' THEN substr(m[1], i, 2) ELSE m[1] END AS term
    FROM regexp_matches(runlog_search_fold(body), '([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+|[^\u0001-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00bf\u00d7\u00f7\u2000-\u206f\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+)', 'g') AS m
    CROSS JOIN LATERAL generate_series(1, CASE WHEN m[1] ~ '^[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]' THEN char_length(m[1]) ELSE 1 END) AS i
  ) terms WHERE char_length(term) <= 64
$$;--> statement-breakpoint
-- What a search box asks, as a tsquery: every word, each as the start of a word (partial words
-- are found), and Chinese, Japanese or Korean text as all of its pairs of characters.
CREATE FUNCTION runlog_search_query(asked text) RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_agg(part, ' & '), '')::tsquery FROM (
    SELECT CASE WHEN m[1] ~ '^[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]' AND char_length(m[1]) > 1
      THEN (SELECT string_agg('''' || substr(m[1], i, 2) || '''', ' & ') FROM generate_series(1, char_length(m[1]) - 1) AS i)
      ELSE '''' || left(m[1], 64) || ''':*' END AS part
    FROM regexp_matches(runlog_search_fold(asked), '([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+|[^\u0001-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00bf\u00d7\u00f7\u2000-\u206f\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+)', 'g') AS m
  ) parts
$$;--> statement-breakpoint
-- Adds words to a run's search document (made on first use, with the run's ID), in the caller's
-- transaction. A document stops growing at 40,000 terms (a tsvector holds at most 1 MB).
CREATE FUNCTION runlog_search_add(run uuid, workspace uuid, body text) RETURNS void LANGUAGE sql AS $$
  INSERT INTO execution_search AS s (execution_id, workspace_id, document)
  VALUES (run, workspace, array_to_tsvector(runlog_search_terms(replace(run::text, '-', '') || ' ' || run::text || ' ' || body)))
  ON CONFLICT (execution_id) DO UPDATE SET document = s.document || array_to_tsvector(runlog_search_terms(body))
  WHERE length(s.document) < 40000
$$;--> statement-breakpoint
-- Everything of a run that search finds, as one text: its ID, error, summary line, log, items,
-- recommendations, action items and the strings of its results. Builds documents for runs
-- written before search existed, and for the seed.
CREATE FUNCTION runlog_search_text_of(run uuid) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT concat_ws(' ',
    (SELECT concat_ws(' ', e.error_message, e.preview) FROM executions e WHERE e.id = run),
    (SELECT string_agg(l.message, ' ') FROM execution_logs l WHERE l.execution_id = run),
    (SELECT string_agg(concat_ws(' ', i.item_label, i.reason), ' ') FROM execution_items i WHERE i.execution_id = run),
    (SELECT string_agg(concat_ws(' ', r.item_label, r.field, r.after_value, r.edited_value, r.rationale), ' ') FROM recommendations r WHERE r.execution_id = run),
    (SELECT string_agg(concat_ws(' ', a.title, a.detail), ' ') FROM action_items a WHERE a.execution_id = run),
    (SELECT string_agg(concat_ws(' ', x.title, (SELECT string_agg(v #>> '{}', ' ') FROM jsonb_path_query(x.payload, 'strict $.**') AS v WHERE jsonb_typeof(v) = 'string')), ' ')
      FROM execution_results x WHERE x.execution_id = run)
  )
$$;--> statement-breakpoint
INSERT INTO execution_search (execution_id, workspace_id, document)
SELECT e.id, e.workspace_id, array_to_tsvector(runlog_search_terms(replace(e.id::text, '-', '') || ' ' || e.id::text || ' ' || runlog_search_text_of(e.id)))
FROM executions e;
