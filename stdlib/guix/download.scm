;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (guix download): the 'url-fetch' origin method.
;;;
;;; As in Guix, fetching is "out of band": 'url-fetch' returns a
;;; fixed-output derivation whose builder is the daemon's built-in
;;; 'builtin:download', so its output path depends only on the file name and
;;; the content hash -- the path Guix computes.  Its environment names the
;;; URL (as Guile writes it) and three store files: the mirror list, the
;;; content-addressed mirrors and the Disarchive mirrors.  URLs such as
;;; "mirror://gnu/hello/..." are kept as written; the daemon resolves them
;;; with the mirror list.  schemos' mirror list holds the mirror schemes its
;;; package collection uses, not Guix's full list, so the store path of the
;;; "mirrors" source differs from Guix's (the outputs do not).

(define-module (guix download)
  #:use-module (guix store)
  #:use-module (guix monads)
  #:use-module (guix derivations)
  #:use-module (guix gexp)
  #:use-module (guix utils)
  #:use-module (srfi srfi-1)
  #:export (%mirrors
            %mirror-file
            %content-addressed-mirrors
            %content-addressed-mirror-file
            %disarchive-mirrors
            %disarchive-mirror-file
            built-in-download
            url-fetch
            url-fetch*
            url-fetch/executable
            url-fetch/tarbomb
            url-fetch/zipbomb
            download-to-store))

(define %mirrors
  ;; Mirror schemes used in mirror:// URLs, with their servers (a subset of
  ;; Guix's list).
  '((gnu
     "https://ftpmirror.gnu.org/gnu/"
     "https://ftp.gnu.org/gnu/"
     "https://mirrors.kernel.org/gnu/"
     "https://mirror.cyberbits.eu/gnu/"
     "https://mirror.netcologne.de/gnu/"
     "http://ftp.gnu.org/gnu/"
     "ftp://ftp.gnu.org/gnu/")
    (gnupg
     "https://gnupg.org/ftp/gcrypt/"
     "ftp://mirror.cict.fr/gnupg/")
    (gcc
     "ftp://ftp.nluug.nl/mirror/languages/gcc/"
     "ftp://ftp.fu-berlin.de/unix/languages/gcc/"
     "ftp://ftp.irisa.fr/pub/mirrors/gcc.gnu.org/gcc/"
     "ftp://gcc.gnu.org/pub/gcc/")
    (gnome
     "https://download.gnome.org/"
     "https://mirror.ox.ac.uk/sites/ftp.gnome.org/pub/GNOME/")
    (savannah
     "https://download.savannah.gnu.org/releases/"
     "https://ftp.cc.uoc.gr/mirrors/nongnu.org/"
     "http://download.savannah.gnu.org/releases/")
    (sourceforge
     "https://downloads.sourceforge.net/project/"
     "https://netcologne.dl.sourceforge.net/project/")
    (kernel.org
     "https://www.kernel.org/pub/"
     "https://mirrors.edge.kernel.org/pub/"
     "https://cdn.kernel.org/pub/"
     "http://linux-kernel.uio.no/pub/"
     "http://ftp.be.debian.org/pub/")
    (debian
     "https://deb.debian.org/debian/"
     "https://ftp.debian.org/debian/")
    (xorg
     "https://www.x.org/releases/"
     "https://xorg.freedesktop.org/releases/")
    (cpan
     "https://www.cpan.org/"
     "https://cpan.metacpan.org/")
    (openbsd
     "https://ftp.openbsd.org/pub/OpenBSD/"
     "https://cdn.openbsd.org/pub/OpenBSD/")))

(define %mirror-file
  ;; Copy of the list of mirrors to a file, as Guix keeps it.
  (plain-file "mirrors" (object->string %mirrors)))

(define %content-addressed-mirrors
  ;; Content-addressed mirrors, as procedures of a file name, an algorithm
  ;; and a hash, written as Guix 1.5 writes them.
  '(begin
     (use-modules (guix base16) (guix base32))

     (define (guix-publish host)
       (lambda (file algo hash)
         ;; Files served by 'guix publish' are accessible under a single
         ;; hash algorithm.
         (string-append "https://" host "/file/"
                        file "/" (symbol->string algo) "/"
                        (bytevector->nix-base32-string hash))))

     (list (guix-publish
            ;; bordeaux.guix.gnu.org uses the nar-herder rather than guix
            ;; publish, but it supports the same style of requests
            "bordeaux.guix.gnu.org")
           (guix-publish "ci.guix.gnu.org")
           (lambda (file algo hash)
             ;; 'tarballs.nixos.org' supports several algorithms.
             (string-append "https://tarballs.nixos.org/"
                            (symbol->string algo) "/"
                            (bytevector->nix-base32-string hash)))
           (lambda (file algo hash)
             ;; Software Heritage usually archives VCS history rather than
             ;; tarballs, but tarballs are sometimes available (and can be
             ;; explicitly stored there.)
             (string-append "https://archive.softwareheritage.org/api/1/content/"
                            (symbol->string algo) ":"
                            (bytevector->base16-string hash) "/raw/")))))

(define %content-addressed-mirror-file
  (plain-file "content-addressed-mirrors"
              (object->string %content-addressed-mirrors)))

(define %disarchive-mirrors
  '("https://disarchive.guix.gnu.org/"
    "https://disarchive.ngyro.com/"))

(define %disarchive-mirror-file
  (plain-file "disarchive-mirrors" (object->string %disarchive-mirrors)))

(define* (built-in-download file-name url
                            #:key system hash-algo hash
                            mirrors content-addressed-mirrors
                            disarchive-mirrors
                            (download-methods #f)
                            executable?
                            (guile 'unused))
  "Download FILE-NAME from URL using the daemon's built-in 'download'
builder: a fixed-output derivation that depends on no package."
  (mlet %store-monad ((mirrors (lower-object mirrors))
                      (content-addressed-mirrors
                       (lower-object content-addressed-mirrors))
                      (disarchive-mirrors (lower-object disarchive-mirrors)))
    (raw-derivation file-name "builtin:download" '()
                    #:system system
                    #:hash-algo hash-algo
                    #:hash hash
                    #:recursive? executable?
                    #:sources (list mirrors
                                    content-addressed-mirrors
                                    disarchive-mirrors)

                    ;; Honor the user's proxy and locale settings.
                    #:leaked-env-vars '("http_proxy" "https_proxy"
                                        "LC_ALL" "LC_MESSAGES" "LANG"
                                        "COLUMNS")

                    #:env-vars `(("url" . ,(object->string url))
                                 ("mirrors" . ,mirrors)
                                 ("content-addressed-mirrors"
                                  . ,content-addressed-mirrors)
                                 ("disarchive-mirrors" . ,disarchive-mirrors)
                                 ,@(if executable?
                                       '(("executable" . "1"))
                                       '())
                                 ,@(if download-methods
                                       `(("download-methods"
                                          . ,(object->string download-methods)))
                                       '()))

                    ;; The daemon downloads; nothing to offload.
                    #:local-build? #t)))

(define (url-base-name url)
  ;; The base name of URL's path (Guix: (basename (uri-path (string->uri URL)))).
  (let* ((q (string-index url #\?))
         (url (if q (substring url 0 q) url)))
    (basename url)))

(define (local-url? url)
  (or (string-prefix? "file://" url)
      (string-prefix? "/" url)
      (not (string-contains url ":"))))

(define* (url-fetch* url hash-algo hash
                     #:optional name
                     #:key (system (%current-system))
                     (guile #f)
                     executable?)
  "Return a fixed-output derivation that fetches data from URL (a string, or
a list of strings denoting alternate URLs), expected to have hash HASH of
type HASH-ALGO (a symbol).  The file name is NAME, or the base name of URL.
A file:// URL or a plain file name is added to the store instead."
  (define file-name
    (if (pair? url) (url-base-name (car url)) (url-base-name url)))

  (if (and (string? url) (local-url? url))
      (interned-file (if (string-prefix? "file://" url)
                         (substring url 7)
                         url)
                     (or name file-name))
      (built-in-download (or name file-name) url
                         #:system system
                         #:hash-algo hash-algo
                         #:hash hash
                         #:executable? executable?
                         #:mirrors %mirror-file
                         #:content-addressed-mirrors
                         %content-addressed-mirror-file
                         #:disarchive-mirrors %disarchive-mirror-file)))

(define* (url-fetch url hash-algo hash
                    #:optional name
                    #:key (system (%current-system)) (guile #f))
  "Return a fixed-output derivation that fetches URL (see 'url-fetch*')."
  (url-fetch* url hash-algo hash name #:system system #:guile guile))

(define* (url-fetch/executable url hash-algo hash
                               #:optional name
                               #:key (system (%current-system)) (guile #f))
  "Like 'url-fetch', but make the downloaded file executable (its hash is
then recursive, over the executable file's archive)."
  (url-fetch* url hash-algo hash name
              #:system system #:guile guile #:executable? #t))

(define (unpacking-fetch what tool-module tool-name tool-bin)
  ;; The tar bomb and zip bomb methods: fetch, then unpack into a directory.
  (lambda* (url hash-algo hash #:optional name
                #:key (system (%current-system)) (guile #f))
    (define file-name
      (if (pair? url) (url-base-name (car url)) (url-base-name url)))
    (define tool
      (module-ref (resolve-interface tool-module) tool-name))
    (mlet %store-monad ((drv (url-fetch* url hash-algo hash
                                         (string-append what "-"
                                                        (or name file-name))
                                         #:system system)))
      (gexp->derivation (or name file-name)
                        (with-imported-modules '((guix build utils))
                          #~(begin
                              (use-modules (guix build utils))
                              (mkdir #$output)
                              (chdir #$output)
                              (invoke (string-append #+tool #$tool-bin)
                                      #$@(if (string=? what "tarbomb")
                                             '("xf")
                                             '())
                                      #$drv)))
                        #:system system
                        #:graft? #f
                        #:local-build? #t))))

(define url-fetch/tarbomb
  (unpacking-fetch "tarbomb" '(gnu packages base) 'tar "/bin/tar"))

(define url-fetch/zipbomb
  (unpacking-fetch "zipbomb" '(gnu packages compression) 'unzip "/bin/unzip"))

(define* (download-to-store store url #:optional (name (basename url))
                            #:key (log (current-error-port)) recursive?
                            (verify-certificate? #t))
  "Add URL, a local file, to STORE; schemos does not download."
  (if (local-url? url)
      (add-to-store store name recursive? "sha256"
                    (if (string-prefix? "file://" url) (substring url 7) url))
      (error "download-to-store: schemos does not download files" url)))
