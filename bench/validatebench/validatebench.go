// Package validatebench sets fnshield's validate.Schema side by side with
// other Go JSON Schema validators, on the same schema and payloads.
//
// The schema uses only keywords whose meaning is the same in draft-07 and
// draft 2020-12 (gojsonschema implements draft-07 at most), and no format,
// since validators differ on whether formats assert. Each validator gets
// the payload as bytes, as a request body arrives, and decodes it itself.
//
// The benchmarks are in validatebench_test.go; TestParity there checks
// first that every validator gives the same verdict on every payload.
package validatebench

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	kaptinlin "github.com/kaptinlin/jsonschema"
	santhosh "github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/xeipuuv/gojsonschema"

	"github.com/fnshield/fnshield/validate"
)

// Implementation names, as they appear in benchmark names and RESULTS.md.
const (
	Fnshield     = "fnshield"
	Santhosh     = "santhosh-tekuri-v5" // the validator fnshield builds on, called directly: the floor
	GoJSONSchema = "gojsonschema"
	Kaptinlin    = "kaptinlin"
)

// Schema is an order, as an API receives it.
const Schema = `{
  "type": "object",
  "required": ["id", "customer", "currency", "items"],
  "additionalProperties": false,
  "properties": {
    "id": {"type": "string", "pattern": "^ord-[0-9]{4,12}$"},
    "customer": {"type": "string", "minLength": 1, "maxLength": 64},
    "currency": {"enum": ["EUR", "USD", "GBP", "CHF"]},
    "coupon": {"type": ["string", "null"], "maxLength": 32},
    "items": {
      "type": "array",
      "minItems": 1,
      "maxItems": 100,
      "items": {
        "type": "object",
        "required": ["sku", "qty", "price"],
        "additionalProperties": false,
        "properties": {
          "sku": {"type": "string", "pattern": "^SKU-[0-9A-Z]{1,16}$"},
          "qty": {"type": "integer", "minimum": 1, "maximum": 1000},
          "price": {"type": "number", "exclusiveMinimum": 0},
          "gift": {"type": "boolean"}
        }
      }
    },
    "shipping": {
      "type": "object",
      "required": ["name", "line1", "city", "postcode", "country"],
      "properties": {
        "name": {"type": "string", "maxLength": 128},
        "line1": {"type": "string", "maxLength": 128},
        "line2": {"type": "string", "maxLength": 128},
        "city": {"type": "string", "maxLength": 64},
        "postcode": {"type": "string", "maxLength": 16},
        "country": {"type": "string", "pattern": "^[A-Z]{2}$"}
      }
    },
    "notes": {"type": "string", "maxLength": 2000}
  }
}`

// Payload is one input and whether the schema accepts it.
type Payload struct {
	Name  string
	Data  []byte
	Valid bool
}

const smallValid = `{"id":"ord-1234","customer":"cus-5678","currency":"EUR","items":[{"sku":"SKU-1","qty":2,"price":9.99}]}`

// largeValid returns a valid order of about 1 KiB.
func largeValid() string {
	var items []string
	for i := range 10 {
		items = append(items, fmt.Sprintf(`{"sku":"SKU-%04dA","qty":%d,"price":%d.95,"gift":%v}`, i, i+1, 10+i, i%2 == 0))
	}
	return `{"id":"ord-20240501123","customer":"cus-8f5d1a3e0b2c","currency":"GBP","coupon":null,` +
		`"items":[` + strings.Join(items, ",") + `],` +
		`"shipping":{"name":"Jane Doe","line1":"221B Baker Street","line2":"Flat 2","city":"London","postcode":"NW1 6XE","country":"GB"},` +
		`"notes":"Leave the parcel with the concierge if nobody answers; the side entrance on Melcombe Street is open until 6 pm. ` +
		`Please do not ring before 9 am on weekends, and call the number on the account instead of the door bell. Fragile: glassware inside, keep upright."}`
}

// Payloads returns the benchmark inputs, small (about 100 B) and 1 KiB,
// valid and invalid, and two attacker-sized ones; and the parity inputs: the benchmark inputs plus the
// other ways a payload can be wrong (or right) that TestParity checks.
func Payloads() (bench, parity []Payload) {
	large := largeValid()
	bench = []Payload{
		{"small_valid", []byte(smallValid), true},
		{"small_invalid", []byte(strings.Replace(smallValid, `"qty":2`, `"qty":0`, 1)), false},
		{"1KiB_valid", []byte(large), true},
		// One violation, in the last item: a validator must read it all.
		{"1KiB_invalid", []byte(strings.Replace(large, `"qty":10,`, `"qty":"10",`, 1)), false},
		// Attacker-sized: arrays nested 10,000 deep where a string is
		// expected, and 10,000 line items where 100 at most are allowed.
		{"attacker_deep_10k", []byte(`{"id":"ord-1234","customer":"c","currency":"EUR","items":[{"sku":"SKU-1","qty":1,"price":1}],"notes":` +
			strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`), false},
		{"attacker_10k_items", []byte(`{"id":"ord-1234","customer":"c","currency":"EUR","items":[` +
			strings.TrimSuffix(strings.Repeat(`{"sku":"SKU-1","qty":1,"price":1},`, 10000), ",") + `]}`), false},
	}
	parity = append(parity, bench...)
	parity = append(parity, []Payload{
		{"missing_required", []byte(`{"id":"ord-1234","currency":"EUR","items":[{"sku":"SKU-1","qty":2,"price":9.99}]}`), false},
		{"extra_member", []byte(strings.Replace(smallValid, `"currency"`, `"admin":true,"currency"`, 1)), false},
		{"pattern_mismatch", []byte(strings.Replace(smallValid, `ord-1234`, `order-1234`, 1)), false},
		{"enum_mismatch", []byte(strings.Replace(smallValid, `"EUR"`, `"XYZ"`, 1)), false},
		{"price_zero", []byte(strings.Replace(smallValid, `9.99`, `0`, 1)), false},
		{"qty_fraction", []byte(strings.Replace(smallValid, `"qty":2`, `"qty":2.5`, 1)), false},
		{"qty_integer_as_float", []byte(strings.Replace(smallValid, `"qty":2`, `"qty":2.0`, 1)), true},
		{"empty_items", []byte(`{"id":"ord-1234","customer":"c","currency":"EUR","items":[]}`), false},
		{"null_coupon", []byte(strings.Replace(smallValid, `"currency"`, `"coupon":null,"currency"`, 1)), true},
		{"wrong_root_type", []byte(`["ord-1234"]`), false},
		{"not_json", []byte(`{"id":"ord-1234",`), false},
		{"empty", []byte(``), false},
	}...)
	return bench, parity
}

// Validator is one implementation: nil for a valid payload, an error
// otherwise (invalid, or not JSON).
type Validator struct {
	Name     string
	Validate func(data []byte) error
}

// errInvalid is returned by the peers whose results are not errors.
var errInvalid = errors.New("payload does not match the schema")

// Validators compiles Schema with fnshield and with each peer, fnshield
// first.
func Validators() ([]Validator, error) {
	fs, err := validate.Compile([]byte(Schema))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Fnshield, err)
	}
	out := []Validator{{Fnshield, fs.Validate}}

	c := santhosh.NewCompiler()
	c.Draft = santhosh.Draft2020
	if err := c.AddResource("order.json", strings.NewReader(Schema)); err != nil {
		return nil, err
	}
	ss, err := c.Compile("order.json")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Santhosh, err)
	}
	out = append(out, Validator{Santhosh, func(data []byte) error {
		v, err := decodeJSON(data)
		if err != nil {
			return err
		}
		return ss.Validate(v)
	}})

	gs, err := gojsonschema.NewSchema(gojsonschema.NewStringLoader(Schema))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", GoJSONSchema, err)
	}
	out = append(out, Validator{GoJSONSchema, func(data []byte) error {
		res, err := gs.Validate(gojsonschema.NewBytesLoader(data))
		if err != nil {
			return err
		}
		if !res.Valid() {
			return errInvalid
		}
		return nil
	}})

	ks, err := kaptinlin.NewCompiler().Compile([]byte(Schema))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Kaptinlin, err)
	}
	out = append(out, Validator{Kaptinlin, func(data []byte) error {
		if !ks.ValidateJSON(data).IsValid() {
			return errInvalid
		}
		return nil
	}})
	return out, nil
}

// decodeJSON decodes one JSON value the way santhosh-tekuri/jsonschema
// expects it (numbers as json.Number) and refuses trailing data.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err == nil {
		return nil, errors.New("trailing data after the JSON value")
	}
	return v, nil
}
