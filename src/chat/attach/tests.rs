use super::*;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

#[test]
fn piped_text_follows_the_prompt_in_a_fence_it_cannot_close() {
    assert_eq!(
        with_stdin("review this\n", "fn main() {}\n"),
        "review this\n\n```stdin\nfn main() {}\n```"
    );
    let md = "text\n````rust\nx\n````\n";
    assert_eq!(
        fenced("stdin", md),
        format!("`````stdin\n{}\n`````", md.trim_end())
    );
}

#[test]
fn images_are_known_by_their_first_bytes_and_text_by_being_utf8() {
    let png = Attachment::from_bytes("cat.png", PNG.to_vec()).unwrap();
    assert_eq!((png.kind, png.mime.as_str()), (Kind::Image, "image/png"));
    assert_eq!(png.tokens, IMAGE_TOKENS);
    let jpeg = Attachment::from_bytes("x.jpg", vec![0xFF, 0xD8, 0xFF, 0xE0]).unwrap();
    assert_eq!(jpeg.mime, "image/jpeg");
    let webp = Attachment::from_bytes("x.webp", b"RIFF\0\0\0\0WEBPVP8 ".to_vec()).unwrap();
    assert_eq!(webp.mime, "image/webp");
    let gif = Attachment::from_bytes("x.gif", b"GIF89a...".to_vec()).unwrap();
    assert_eq!(gif.mime, "image/gif");
    // A .png name on text is text: the bytes decide, not the name.
    let text = Attachment::from_bytes("notes.png", b"hello".to_vec()).unwrap();
    assert_eq!(text.kind, Kind::Text);
    assert_eq!(
        Attachment::from_bytes("a.bin", vec![0, 159, 146, 150]),
        Err(AttachError::Binary {
            name: "a.bin".into()
        })
    );
    assert!(matches!(
        Attachment::from_bytes("nul.txt", b"a\0b".to_vec()),
        Err(AttachError::Binary { .. })
    ));
}

#[test]
fn the_hash_is_sha256_of_the_bytes() {
    let a = Attachment::from_bytes("a.txt", b"abc".to_vec()).unwrap();
    assert_eq!(
        a.sha256,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn oversized_files_are_refused_with_the_limit_named() {
    let err = check_size("big.log", b"text", MAX_TEXT_BYTES + 1).unwrap_err();
    assert_eq!(
        err.to_string(),
        "big.log is over 8 MiB and a text attachment may be at most 8 MiB"
    );
    let err = check_size("huge.png", PNG, 30 * 1024 * 1024).unwrap_err();
    assert_eq!(
        err.to_string(),
        "huge.png is 30 MiB and an image attachment may be at most 20 MiB"
    );
    assert!(check_size("ok.png", PNG, MAX_IMAGE_BYTES).is_ok());
}

#[test]
fn text_files_follow_the_prompt_fenced_and_named_by_path() {
    let a = Attachment::from_bytes("src/lib.rs", b"fn f() {}\n".to_vec()).unwrap();
    let img = Attachment::from_bytes("cat.png", PNG.to_vec()).unwrap();
    assert_eq!(
        text_with_files("review this", &[a, img]),
        "review this\n\n```src/lib.rs\nfn f() {}\n```"
    );
}
