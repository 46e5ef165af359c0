package awssm

// An Option configures a [Provider] built by [New].
type Option interface{ apply(*config) }

type config struct {
	stage  string
	labels []string
}

func newConfig(opts []Option) config {
	var c config // defaults: the service's default stage (AWSCURRENT), only AWS* labels
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	return c
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithVersionStage makes Fetch request the version labelled stage for names
// without a '#' suffix. The default is no VersionStage in the request, which
// Secrets Manager treats as AWSCURRENT. A '#' suffix on the name overrides
// it. A stage longer than 256 bytes or holding '#' makes [New] panic.
func WithVersionStage(stage string) Option {
	return optionFunc(func(c *config) { c.stage = stage })
}

// WithStageLabels declares custom staging labels, so that "name#label" asks
// for VersionStage label rather than VersionId label. Labels starting with
// "AWS" are always stages and need no declaration. The default is none. A
// label that is empty, longer than 256 bytes or holds '#' makes [New]
// panic.
func WithStageLabels(labels ...string) Option {
	return optionFunc(func(c *config) { c.labels = append(c.labels, labels...) })
}
