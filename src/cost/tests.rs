use super::*;

fn usd(s: &str) -> Usd {
    Usd::parse(s).unwrap()
}

#[test]
fn parses_decimals_exactly() {
    assert_eq!(usd("0.0000025").atto(), 2_500_000_000_000);
    assert_eq!(usd("0.00333825").to_decimal(), "0.00333825");
    assert_eq!(usd("1e-05").to_decimal(), "0.00001");
    assert_eq!(usd("2.5E-7").to_decimal(), "0.00000025");
    assert_eq!(usd("12").to_decimal(), "12");
    assert_eq!(usd("-1").to_decimal(), "-1");
    assert_eq!(usd("0").to_decimal(), "0");
    assert_eq!(usd(".5").to_decimal(), "0.5");
    assert_eq!(usd("0.0133176").to_decimal(), "0.0133176");
    // Beyond 18 decimals rounds half away from zero.
    assert_eq!(usd("0.0000000000000000015").atto(), 2);
    assert_eq!(usd("0.0000000000000000014").atto(), 1);
    for bad in ["", "abc", "1.2.3", "1e", "--1", "0x10", "1,5"] {
        assert!(Usd::parse(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn json_amounts_may_be_strings_or_numbers() {
    assert_eq!(parse_json_amount("\"0.00003\"").unwrap(), usd("0.00003"));
    assert_eq!(parse_json_amount("0.00003").unwrap(), usd("0.00003"));
}

#[test]
fn display_is_short_and_honest() {
    assert_eq!(usd("0").display(), "$0");
    assert_eq!(usd("0.0133176").display(), "$0.0133");
    assert_eq!(usd("0.00333825").display(), "$0.00334");
    assert_eq!(usd("0.000048").display(), "$0.000048");
    assert_eq!(usd("12.345").display(), "$12.35");
    assert_eq!(usd("0.5").display(), "$0.50");
    assert_eq!(usd("0.0000000001").display(), "$0.0000000001");
    let est = Cost {
        usd: usd("0.0021"),
        source: CostSource::Estimated,
    };
    assert_eq!(est.display(), "~$0.0021");
    let exact = Cost {
        usd: usd("0.0021"),
        source: CostSource::Reported,
    };
    assert_eq!(exact.display(), "$0.0021");
}

#[test]
fn prices_per_million() {
    assert_eq!(usd("0.0000025").per_million().display_price(), "2.50");
    assert_eq!(usd("0.000000075").per_million().display_price(), "0.075");
    assert_eq!(usd("0.00003").per_million().display_price(), "30.00");
    assert_eq!(usd("0").per_million().display_price(), "0");
}

#[test]
fn serialises_as_an_exact_decimal_string_or_number() {
    let tiny = usd("1.000000000000000001");
    let json = serde_json::to_string(&tiny).unwrap();
    assert_eq!(json, "\"1.000000000000000001\"");
    let back: Usd = serde_json::from_str(&json).unwrap();
    assert_eq!(back, tiny, "a string reads back digit for digit");
    let mut number = Vec::new();
    super::as_json_number(
        &usd("0.00333825"),
        &mut serde_json::Serializer::new(&mut number),
    )
    .unwrap();
    assert_eq!(String::from_utf8(number).unwrap(), "0.00333825");
    let from_string: Usd = serde_json::from_str("\"0.0000025\"").unwrap();
    assert_eq!(from_string, usd("0.0000025"));
}

/// Ten thousand reported costs with up to ten decimals sum to the exact decimal total.
#[test]
fn summing_ten_thousand_costs_does_not_drift() {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut exact_units: u128 = 0; // in 1e-10 USD
    let mut total = Usd::ZERO;
    for _ in 0..10_000 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let units = seed % 200_000_000; // up to $0.02
        let text = format!("0.{units:010}");
        exact_units += units as u128;
        total += parse_json_amount(&text).unwrap();
    }
    let expected = format!(
        "{}.{:010}",
        exact_units / 10_000_000_000,
        exact_units % 10_000_000_000
    );
    let expected = expected.trim_end_matches('0').trim_end_matches('.');
    assert_eq!(total.to_decimal(), expected);
}

fn pricing() -> Pricing {
    Pricing {
        prompt: usd("0.000003"),
        completion: usd("0.000015"),
        request: None,
        input_cache_read: Some(usd("0.0000003")),
        internal_reasoning: None,
        from_catalog: None,
    }
}

#[test]
fn computed_cost_prices_cached_and_reasoning_tokens() {
    let usage = Usage {
        prompt_tokens: 1000,
        completion_tokens: 200,
        reasoning_tokens: 50,
        cached_tokens: 400,
        cost: None,
    };
    // 600 * 3e-6 + 400 * 3e-7 + 200 * 1.5e-5
    assert_eq!(pricing().cost_of(&usage).to_decimal(), "0.00492");
    let mut p = pricing();
    p.internal_reasoning = Some(usd("0.00002"));
    p.request = Some(usd("0.001"));
    // 0.0018 + 0.00012 + 150 * 1.5e-5 + 50 * 2e-5 + 0.001
    assert_eq!(p.cost_of(&usage).to_decimal(), "0.00617");
}

#[test]
fn reported_beats_computed_and_sources_are_labelled() {
    let mut usage = Usage {
        prompt_tokens: 10,
        completion_tokens: 10,
        ..Usage::default()
    };
    let computed = exact_cost(&usage, Some(&pricing())).unwrap();
    assert_eq!(computed.source, CostSource::Computed);
    usage.cost = Some(usd("0.5"));
    let reported = exact_cost(&usage, Some(&pricing())).unwrap();
    assert_eq!(reported.source, CostSource::Reported);
    assert_eq!(reported.usd, usd("0.5"));
    usage.cost = None;
    assert_eq!(exact_cost(&usage, None), None);
}

#[test]
fn estimates_are_marked() {
    let c = estimated_cost(100, 40, 0, &pricing());
    assert_eq!(c.source, CostSource::Estimated);
    assert!(!c.is_exact());
    assert!(c.display().starts_with('~'));
    assert_eq!(estimate_tokens("abcdefgh"), 2);
    assert_eq!(estimate_tokens("abcdefghi"), 3);
    assert_eq!(estimate_tokens(""), 0);
}

#[test]
fn enormous_amounts_print_without_overflow() {
    let huge = Usd::parse("1e20").unwrap().times(u64::MAX);
    assert!(huge.display().starts_with('$'));
    assert!(Usd::from_atto(i128::MIN + 1).display().starts_with("$-"));
}
