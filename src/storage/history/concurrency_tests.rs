//! Several writers at once, as several switchboard processes (or the saver and the browser
//! of one) use the database: every operation succeeds and the result is complete.

use super::*;
use crate::storage::session::{SCHEMA, parse, save};

#[test]
fn writers_and_readers_at_once_all_succeed() {
    let data = tempfile::tempdir().unwrap();
    let dir = crate::storage::session::sessions_dir(data.path());
    let template = {
        let mut s = parse(include_str!("../../../tests/fixtures/sessions/v1.json")).unwrap();
        s.schema = SCHEMA;
        s
    };
    // Four threads, each with its own connections, start on a database that does not exist
    // yet: they race to create the tables too.
    std::thread::scope(|scope| {
        for t in 0..4 {
            let (dir, template) = (&dir, &template);
            scope.spawn(move || {
                let mut s = template.clone();
                s.id = format!("s{t}");
                for i in 0..20 {
                    s.rounds[1].answers[0].text = format!("word{t}x{i}");
                    s.updated_ms = i;
                    save(dir, &s).unwrap();
                    index_saved(dir, &s).unwrap();
                    assert!(list(dir).unwrap().len() <= 4);
                    assert_eq!(
                        search(dir, &format!("word{t}x{i}")).unwrap(),
                        vec![s.id.clone()]
                    );
                }
            });
        }
    });
    assert_eq!(list(&dir).unwrap().len(), 4);
    for t in 0..4 {
        assert_eq!(
            search(&dir, &format!("word{t}x19")).unwrap(),
            vec![format!("s{t}")]
        );
        assert!(search(&dir, &format!("word{t}x18")).unwrap().is_empty());
    }
}
