package app

import (
	"context"
	"io/fs"
	"os"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/rs/zerolog"

	"github.com/boussole/boussole/flows"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/publish"
	"github.com/boussole/boussole/internal/redisstore"
)

// flowCheckEvery is how often a replica checks which version is live, in
// case it missed the announcement of a publication.
const flowCheckEvery = 15 * time.Second

// servedFlow is the file of the flow people are walked through.
const servedFlow = "orientation.yaml"

// newLibrary assembles what this replica serves: version 0 is FLOWS_DIR or
// the flows shipped in the binary; a version the admins published wins
// until another is restored. Without a volunteers' group every flow served
// leads its handoffs to their "unavailable" screens.
func newLibrary(ctx context.Context, dir string, deskless bool, rdb redis.UniversalClient, log zerolog.Logger) (*publish.Library, *redisstore.Versions, error) {
	if _, err := loadServeFlow(dir); err != nil {
		return nil, nil, err
	}
	var fsys fs.FS = flows.FS
	if dir != "" {
		fsys = os.DirFS(dir)
	}
	docs, err := publish.ReadDocs(fsys, servedFlow)
	if err != nil {
		return nil, nil, err
	}
	var prepare func(*flow.Flow) *flow.Flow
	if deskless {
		prepare = (*flow.Flow).WithoutDesk
	}
	vs := redisstore.NewVersions(rdb)
	if err := vs.Preload(ctx); err != nil {
		log.Warn().Str("error", "store unavailable").Msg("the publishing script is not loaded yet")
	}
	lib, err := publish.New(vs, docs, prepare, log)
	if err != nil {
		return nil, nil, err
	}
	lib.OnSwitch(func(v redisstore.Version) {
		log.Info().Int64("version", v.N).Str("hash", v.Hash).Msg("flows: version live")
	})
	if err := lib.Refresh(ctx); err != nil {
		// Redis may come back: the periodic check switches then.
		log.Warn().Str("error", "versions unreadable").Msg("serving the flows of the binary until Redis answers")
	}
	return lib, vs, nil
}
