// credprovider-harness runs a kubelet image credential provider exactly as kubelet does, with kubelet's own
// code (k8s.io/kubernetes/pkg/credentialprovider/plugin): it reads a CredentialProviderConfig, registers the
// plugins found in --bin-dir, and for each --image asks the external-provider keyring what kubelet would hand
// the container runtime. One JSON line per image on stdout:
//
//	{"image":"…","found":true,"credentials":[{"username":"…","password":"…","serverAddress":"…",…}]}
//
// Lookups share one keyring, so kubelet's credential cache (cacheKeyType/cacheDuration) applies between them.
// With --kubeconfig, the ServiceAccount token mode (KEP-4412) is real: the ServiceAccount is read and the token
// is requested (TokenRequest) from that API server, as kubelet's token manager does.
// Kubelet logs the plugin's errors and continues without credentials; so does this harness (found:false), and
// its klog output goes to stderr (-v=N for more).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	authenticationv1 "k8s.io/api/authentication/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/pkg/credentialprovider"
	"k8s.io/kubernetes/pkg/credentialprovider/plugin"
)

type stringList []string

func (s *stringList) String() string     { return fmt.Sprint([]string(*s)) }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

type credential struct {
	Username       string `json:"username,omitempty"`
	Password       string `json:"password,omitempty"`
	Auth           string `json:"auth,omitempty"`
	Email          string `json:"email,omitempty"`
	ServerAddress  string `json:"serverAddress,omitempty"`
	IdentityToken  string `json:"identityToken,omitempty"`
	RegistryToken  string `json:"registryToken,omitempty"`
	ServiceAccount string `json:"serviceAccount,omitempty"`
}

type result struct {
	Image       string       `json:"image"`
	Found       bool         `json:"found"`
	Credentials []credential `json:"credentials"`
}

func main() {
	var (
		configPath     = flag.String("config", "", "CredentialProviderConfig file (kubelet's --image-credential-provider-config)")
		binDir         = flag.String("bin-dir", "", "directory holding the provider binaries (kubelet's --image-credential-provider-bin-dir)")
		kubeconfig     = flag.String("kubeconfig", "", "API server for the ServiceAccount token mode (optional)")
		podNamespace   = flag.String("pod-namespace", "default", "namespace of the Pod pulling the image")
		podName        = flag.String("pod-name", "harness-pod", "name of the Pod pulling the image")
		podUID         = flag.String("pod-uid", "00000000-0000-0000-0000-000000000001", "UID of the Pod pulling the image")
		serviceAccount = flag.String("service-account", "default", "ServiceAccount of the Pod")
		featureGates   = flag.String("feature-gates", "", "kubelet feature gates, e.g. KubeletServiceAccountTokenForCredentialProviders=true")
		images         stringList
	)
	flag.Var(&images, "image", "image to look up (repeatable; lookups share one keyring and its cache)")
	klog.InitFlags(nil)
	flag.Parse()
	if *configPath == "" || *binDir == "" || len(images) == 0 {
		fmt.Fprintln(os.Stderr, "usage: credprovider-harness --config FILE --bin-dir DIR --image IMAGE [--image IMAGE...] [--kubeconfig FILE]")
		os.Exit(2)
	}
	if *featureGates != "" {
		if err := utilfeature.DefaultMutableFeatureGate.Set(*featureGates); err != nil {
			fmt.Fprintf(os.Stderr, "credprovider-harness: --feature-gates: %v\n", err)
			os.Exit(2)
		}
	}

	getToken := func(namespace, name string, tr *authenticationv1.TokenRequest) (*authenticationv1.TokenRequest, error) {
		return nil, fmt.Errorf("no --kubeconfig: cannot request a token for ServiceAccount %s/%s", namespace, name)
	}
	getServiceAccount := func(namespace, name string) (*v1.ServiceAccount, error) {
		return nil, fmt.Errorf("no --kubeconfig: cannot read ServiceAccount %s/%s", namespace, name)
	}
	if *kubeconfig != "" {
		cfg, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
		if err != nil {
			fmt.Fprintf(os.Stderr, "credprovider-harness: --kubeconfig: %v\n", err)
			os.Exit(2)
		}
		client, err := kubernetes.NewForConfig(cfg)
		if err != nil {
			fmt.Fprintf(os.Stderr, "credprovider-harness: client: %v\n", err)
			os.Exit(2)
		}
		// kubelet's token manager: TokenRequest on the ServiceAccount's token subresource.
		getToken = func(namespace, name string, tr *authenticationv1.TokenRequest) (*authenticationv1.TokenRequest, error) {
			return client.CoreV1().ServiceAccounts(namespace).CreateToken(context.Background(), name, tr, metav1.CreateOptions{})
		}
		getServiceAccount = func(namespace, name string) (*v1.ServiceAccount, error) {
			return client.CoreV1().ServiceAccounts(namespace).Get(context.Background(), name, metav1.GetOptions{})
		}
	}

	if err := plugin.RegisterCredentialProviderPlugins(*configPath, *binDir, getToken, getServiceAccount); err != nil {
		fmt.Fprintf(os.Stderr, "credprovider-harness: %v\n", err)
		os.Exit(1)
	}

	keyring := plugin.NewExternalCredentialProviderDockerKeyring(*podNamespace, *podName, *podUID, *serviceAccount)
	out := json.NewEncoder(os.Stdout)
	out.SetEscapeHTML(false)
	for _, image := range images {
		creds, found := keyring.Lookup(image)
		r := result{Image: image, Found: found, Credentials: []credential{}}
		for _, c := range creds {
			r.Credentials = append(r.Credentials, toCredential(c))
		}
		if err := out.Encode(r); err != nil {
			fmt.Fprintf(os.Stderr, "credprovider-harness: %v\n", err)
			os.Exit(1)
		}
	}
	klog.Flush()
}

func toCredential(c credentialprovider.TrackedAuthConfig) credential {
	out := credential{
		Username:      c.Username,
		Password:      c.Password,
		Auth:          c.Auth,
		Email:         c.Email,
		ServerAddress: c.ServerAddress,
		IdentityToken: c.IdentityToken,
		RegistryToken: c.RegistryToken,
	}
	if c.Source != nil && c.Source.ServiceAccount != nil {
		out.ServiceAccount = c.Source.ServiceAccount.Namespace + "/" + c.Source.ServiceAccount.Name
	}
	return out
}
