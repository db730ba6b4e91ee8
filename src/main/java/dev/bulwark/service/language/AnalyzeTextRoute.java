package dev.bulwark.service.language;

import dev.bulwark.account.AccountKind;
import dev.bulwark.service.WorkerRoute;
import dev.bulwark.service.ServiceRequest;
import dev.bulwark.service.ServiceResponse;

import java.util.Set;

/** {@code POST /language/:analyze-text} on TextAnalytics and AIServices accounts. */
public final class AnalyzeTextRoute implements WorkerRoute {
    /** Azure's data action for the Language runtime APIs. */
    public static final String DATA_ACTION = "Microsoft.CognitiveServices/accounts/Language/analyze-text/action";

    private final LanguageService service;

    public AnalyzeTextRoute(LanguageService service) {
        this.service = service;
    }

    @Override
    public String method() {
        return "POST";
    }

    @Override
    public String path() {
        return "/language/:analyze-text";
    }

    @Override
    public Set<AccountKind> kinds() {
        return Set.of(AccountKind.TextAnalytics, AccountKind.AIServices);
    }

    @Override
    public String dataAction() {
        return DATA_ACTION;
    }

    @Override
    public String operationName() {
        return "Language.AnalyzeText";
    }

    @Override
    public ServiceResponse handle(ServiceRequest request) {
        return service.analyzeText(request.query("api-version"), request.body());
    }
}
